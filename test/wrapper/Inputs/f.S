# Assembly, preprocessed (.S).
#define FIVE 5
	.text
	.globl f
	.type f, @function
f:
	movl $FIVE, %eax
	ret
	.section .note.GNU-stack,"",@progbits
