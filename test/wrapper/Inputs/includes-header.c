#include <pkguard/pkguard.h>

[[secret]] char key[16];
