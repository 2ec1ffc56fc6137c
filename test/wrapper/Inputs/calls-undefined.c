// A library function calling a function that no input defines.
void nowhere(void);
void calls_nowhere(void) { nowhere(); }
