int f(void);
int g(void);
int main(void) { return f() + g() == 12 ? 0 : 1; }
