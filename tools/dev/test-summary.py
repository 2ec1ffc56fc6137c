#!/usr/bin/env python3
"""Sums up a pkguard test run: every lit test and every GoogleTest case.

USAGE: test-summary.py RESULTS-DIR

RESULTS-DIR holds ctest.xml (ctest --output-junit) and one lit-SUITE.json
per lit suite (lit --output). ctest counts each lit suite as one test; this
counts the tests inside. The last line reads 'tests: N passed, N failed,
N skipped'; the exit status is 1 when anything failed or did not report.
"""
import glob
import json
import os
import sys
import xml.etree.ElementTree as ElementTree

LIT_PASSED = {"PASS", "XFAIL"}
LIT_SKIPPED = {"UNSUPPORTED", "SKIPPED", "EXCLUDED"}


def main(results):
    passed, failed, skipped = 0, [], 0
    lit_suites_reported = set()
    for path in sorted(glob.glob(os.path.join(results, "lit-*.json"))):
        lit_suites_reported.add(os.path.basename(path)[:-len(".json")])
        with open(path) as f:
            for test in json.load(f).get("tests", []):
                code = test.get("code", "")
                if code in LIT_PASSED:
                    passed += 1
                elif code in LIT_SKIPPED:
                    skipped += 1
                else:
                    failed.append("%s (%s)" % (test.get("name"), code))
    junit = os.path.join(results, "ctest.xml")
    if not os.path.exists(junit):
        print("tests: no ctest results in %s" % results)
        return 1
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        name = case.get("name", "")
        status = case.get("status", "")
        broken = case.find("failure") is not None or status == "fail"
        if name.startswith("lit-"):
            # Counted test by test above, unless lit died before reporting.
            if name not in lit_suites_reported or (broken and not failed):
                failed.append(name)
            continue
        if broken:
            failed.append(name)
        elif status in ("notrun", "disabled") or case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    for name in failed:
        print("tests: FAILED %s" % name)
    print("tests: %d passed, %d failed, %d skipped" % (passed, len(failed), skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip())
    sys.exit(main(sys.argv[1]))
