"""The exit statuses of pkguard-run, in one place.

pkguard-run ends the way its program did; these are the statuses it uses
when it has to speak for itself. They follow the shell and coreutils'
timeout(1), so a caller reads them as it would read a shell's.
"""

import errno

EXIT_TIMEOUT = 124         # the program ran past --timeout and was killed
EXIT_RUNNER_FAILED = 125   # pkguard-run itself failed
EXIT_CANNOT_EXECUTE = 126  # the program exists but cannot be executed
EXIT_NOT_FOUND = 127       # the program does not exist

# What each status means, for --help.
MEANINGS = ((EXIT_TIMEOUT, "timeout"),
            (EXIT_RUNNER_FAILED, "pkguard-run failed"),
            (EXIT_CANNOT_EXECUTE, "PROGRAM cannot be executed"),
            (EXIT_NOT_FOUND, "PROGRAM not found"))


def for_signal(signal_number):
    """The status a shell shows for a program killed by signal_number."""
    return 128 + signal_number


def for_exec_error(error):
    """The status for a program that could not be started with errno error:
    not found for ENOENT, cannot execute for anything else, as in a shell."""
    return EXIT_NOT_FOUND if error == errno.ENOENT else EXIT_CANNOT_EXECUTE
