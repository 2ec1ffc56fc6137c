# Imports the hardened extension and calls it from threads Python started
# before the import; with "attack", runs the overflow.
import sys
import threading

barrier = threading.Barrier(5)
results = []


def worker():
    barrier.wait()
    results.extend(hardened.work(10 + i % 40) == 4711 + 10 + i % 40 + 1
                   for i in range(200))


threads = [threading.Thread(target=worker) for _ in range(4)]
for thread in threads:
    thread.start()
import hardened  # noqa: E402
print("python:", hardened.mode())
barrier.wait()
for thread in threads:
    thread.join()
print("python: %d calls from 4 threads, %s" %
      (len(results), "right" if all(results) else "WRONG"))
sys.stdout.flush()
if sys.argv[1:] == ["attack"]:
    hardened.attack()
print("python: returned normally")
