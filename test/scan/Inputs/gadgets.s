# Every way WRPKRU and XRSTOR bytes turn up in code, and look-alikes that
# are not them.
	.text
	.globl aligned_wrpkru
	.type aligned_wrpkru, @function
aligned_wrpkru:
	wrpkru
	ret

	.globl in_an_immediate
	.type in_an_immediate, @function
in_an_immediate:
	movl $0x00ef010f, %eax        # b8 0f 01 ef 00
	ret

	.globl across_two_instructions
	.type across_two_instructions, @function
across_two_instructions:
	addb $0x0f, %al               # 04 0f
	addl %ebp, %edi               # 01 ef
	ret

	.globl xrstor_forms
	.type xrstor_forms, @function
xrstor_forms:
	xrstor (%rax)                 # 0f ae 28
	xrstor64 0x40(%rsp)           # 48 0f ae 6c 24 40
	xrstors (%rdi)                # 0f c7 1f
	xrstors64 8(%rbx)             # 48 0f c7 5b 08
	ret

	.globl look_alikes
	.type look_alikes, @function
look_alikes:
	lfence                        # 0f ae e8: XRSTOR's opcode, register form
	rdpkru                        # 0f 01 ee
	fxrstor (%rax)                # 0f ae 08: /1, not /5
	ret

	.data
	.globl data_bytes
data_bytes:
	.byte 0x0f, 0x01, 0xef, 0x0f, 0xae, 0x28
