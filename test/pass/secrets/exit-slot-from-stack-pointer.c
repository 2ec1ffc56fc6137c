// A gate is instrumented at the start of the pipeline, and the optimiser
// merged its exits' return-address slot with its entry's: the register
// allocator then kept the slot across the body's call in a callee-saved
// register, which the callee saves on its stack, where one store changed
// both the frame tag its exit looks for (leaving its domain open) and the
// slot its return check compares. The shadow-stack pass, last in the
// pipeline, gives each use a slot of its own: after the call, the exit's
// tag and the return check address the slot from %rsp.
// RUN: %clang -O2 -fplugin=%clang_plugin -fpass-plugin=%pass_plugin -S -o - %s | FileCheck %s
// CHECK-LABEL: gate_calling_out:
// CHECK:       callq sink
// CHECK-NOT:   {{\(%(rbx|rbp|r12|r13|r14|r15)\)}}
// CHECK:       leaq 8(%rsp), %r11
// CHECK-NOT:   {{\(%(rbx|rbp|r12|r13|r14|r15)\)}}
// CHECK:       movq 8(%rsp), %r
// CHECK-NOT:   {{\(%(rbx|rbp|r12|r13|r14|r15)\)}}
// CHECK:       retq
[[secret]] int pin = 7;
void sink(int *);

[[pkguard::secret_access]] int gate_calling_out(int n) {
  int x = n;
  sink(&x);
  return pin + x;
}
