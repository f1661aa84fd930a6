#!/usr/bin/env python3
"""Split the example questions written for signpost into the bank the model
trains on (knowledge/kb/examples_*.toml) and the third kept aside, untouched,
for reporting (testdata/own/aside.toml). Run once when new questions are
written; every third question of each entry (and of each outside topic) is
put aside, so the aside set has every style in proportion.

    python3 testdata/bank/split.py RAW.toml... 
"""
import sys, tomllib, json, os

# The order the writers were asked to follow: 45 questions an entry in the
# first round, 30 more (files named more_*) in the second.
STYLES = [("long", 6), ("chat", 8), ("staff", 6), ("learner", 5), ("needs", 8),
          ("negation", 4), ("followup", 4), ("named", 4)]
MORE = [("needs", 10), ("staff", 6), ("learner", 5), ("neighbour", 5), ("long", 4)]

def style_of(i, styles):
    for name, n in styles:
        if i < n:
            return name
        i -= n
    return "extra"

def q(s):
    return json.dumps(s, ensure_ascii=False)

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
aside = []
for path in sys.argv[1:]:
    d = tomllib.load(open(path, "rb"))
    name = os.path.splitext(os.path.basename(path))[0]
    styles = MORE if name.startswith("more_") else STYLES
    out = ["# Example questions: the bank signpost's model learns from (see README,",
           "# \"How matching works\"). Written from the documents, in the ways people",
           "# ask; every third question of each entry is kept aside, untouched, in",
           "# testdata/own/aside.toml. Never copy a question from an evaluation set.", ""]
    for e in d.get("examples", []):
        keep = [x for i, x in enumerate(e["questions"]) if i % 3 != 2]
        for i, x in enumerate(e["questions"]):
            if i % 3 == 2:
                aside.append((x, [e["entry"]], style_of(i, styles)))
        out.append("[[examples]]")
        out.append(f"entry = {q(e['entry'])}")
        out.append("questions = [")
        out += [f"  {q(x)}," for x in keep]
        out.append("]\n")
    for b in d.get("outside", []):
        keep = [x for i, x in enumerate(b["questions"]) if i % 3 != 2]
        for i, x in enumerate(b["questions"]):
            if i % 3 == 2:
                aside.append((x, [], "outside-" + b["kind"]))
        out.append("[[outside]]")
        out.append(f"topic = {q(b['topic'])}")
        out.append(f"kind = {q(b['kind'])}")
        out.append("questions = [")
        out += [f"  {q(x)}," for x in keep]
        out.append("]\n")
    open(os.path.join(root, "knowledge/kb", f"examples_{name}.toml"), "w").write("\n".join(out))

lines = ["# The third of the example questions kept aside: never trained or tuned on.",
         "# It measures the matcher as a question set in other words would; see",
         "# testdata/bank/split.py. Format as shared/eval/dev.toml, with a style.", ""]
for x, ids, st in aside:
    lines += ["[[case]]", f"q = {q(x)}", f"expect = {json.dumps(ids)}", f"style = {q(st)}"]
open(os.path.join(root, "testdata/own/aside.toml"), "w").write("\n".join(lines) + "\n")
