#ifdef __PKGUARD__
version __PKGUARD__
#else
version none
#endif
#ifdef __cplusplus
#if __has_cpp_attribute(pkguard::secret)
plugin 1
#else
plugin 0
#endif
#else
#if __has_c_attribute(pkguard::secret)
plugin 1
#else
plugin 0
#endif
#endif
