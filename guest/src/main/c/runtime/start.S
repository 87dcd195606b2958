/*
 * Entry points and the only instructions that reach the host (guest ABI v1).
 * The host enters _molt_start once (RDI = boot block) and _molt_dispatch for every call
 * (RDI = input buffer), each time with RSP = stack_top and RFLAGS = 0x2.
 */
    .section .text.molt_entry, "ax", @progbits

    .globl _molt_start
    .type _molt_start, @function
_molt_start:
    xor %ebp, %ebp
    and $-16, %rsp              /* SysV: 16-byte aligned before the call */
    call molt__start            /* never returns */
    ud2
    .size _molt_start, . - _molt_start

    .globl _molt_dispatch
    .type _molt_dispatch, @function
_molt_dispatch:
    xor %ebp, %ebp
    and $-16, %rsp
    sub $16, %rsp               /* every call starts with the default SSE and x87 control state */
    movl $0x1f80, (%rsp)
    ldmxcsr (%rsp)
    movw $0x037f, 4(%rsp)
    fldcw 4(%rsp)
    add $16, %rsp
    call molt__dispatch         /* never returns */
    ud2
    .size _molt_dispatch, . - _molt_dispatch

    .text
/* The host never resumes after DONE or ABORT; if it does, ud2 makes that a visible #UD. */
    .globl molt__out_done
    .type molt__out_done, @function
molt__out_done:
    xor %eax, %eax
    out %al, $0x10
    ud2
    .size molt__out_done, . - molt__out_done

    .globl molt__out_abort
    .type molt__out_abort, @function
molt__out_abort:
    mov %edi, %eax              /* RAX = abort code, for a host that finds no frame */
    out %al, $0x12
    ud2
    .size molt__out_abort, . - molt__out_abort

/* The host writes the HOSTRESULT frame and resumes right after the out. */
    .globl molt__out_hostcall
    .type molt__out_hostcall, @function
molt__out_hostcall:
    xor %eax, %eax
    out %al, $0x11
    ret
    .size molt__out_hostcall, . - molt__out_hostcall

    .section .note.GNU-stack, "", @progbits
