// A leaf that stores through its argument: no elision rule proves it.
void leaf(int *x) { *x += 1; }
