# Assembly, not preprocessed (.s).
	.text
	.globl g
	.type g, @function
g:
	movl $7, %eax
	ret
	.section .note.GNU-stack,"",@progbits
