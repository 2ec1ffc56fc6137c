// The hardened library as a Python extension module, "hardened".
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "hardened-library.c"

static PyObject *work(PyObject *self, PyObject *args) {
  (void)self;
  int depth;
  if (!PyArg_ParseTuple(args, "i", &depth))
    return NULL;
  return PyLong_FromLong(hardened_work(depth));
}

static PyObject *attack(PyObject *self, PyObject *args) {
  (void)self;
  (void)args;
  hardened_attack(1);
  Py_RETURN_NONE;
}

static PyObject *mode(PyObject *self, PyObject *args) {
  (void)self;
  (void)args;
#ifdef __PKGUARD__
  return PyUnicode_FromString(hardened_mode());
#else
  return PyUnicode_FromString("no pkguard");
#endif
}

static PyMethodDef methods[] = {
    {"work", work, METH_VARARGS, "4711 + depth + 1, through the library"},
    {"attack", attack, METH_NOARGS, "the overflow"},
    {"mode", mode, METH_NOARGS, "what pkguard's runtime says"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "hardened", NULL,
                                    -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_hardened(void) { return PyModule_Create(&module); }
