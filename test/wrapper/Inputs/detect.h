#ifdef __PKGUARD__
version __PKGUARD__
#else
version none
#endif
#if defined(__cplusplus) && __has_cpp_attribute(pkguard::secret)
plugin 1
#elif !defined(__cplusplus) && __has_c_attribute(pkguard::secret)
plugin 1
#else
plugin 0
#endif
