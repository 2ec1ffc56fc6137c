// Eight secrets, each in a domain of its own.
#define SECRET(domain) [[pkguard::secret(#domain)]] int secret_##domain = 1;
SECRET(b1) SECRET(b2) SECRET(b3) SECRET(b4)
SECRET(b5) SECRET(b6) SECRET(b7) SECRET(b8)
