#!/usr/bin/env python3
"""Builds resettle's reference data set (data/) from the reference facts in data/reference/.

Run from the repository root: python3 data/build_data.py [--reference DIR]
Deterministic: the same reference files give byte-identical outputs.
"""
import argparse
import csv
import math
import os
import sys

SPLIT_SITES = {
    # joint bulletin code: [(code, name, function, estates, categories, share), ...]
    "GNI;SPI": [("GNI", "Grendon", "cat_b_trainer", None, "B;C", 0.42),
                ("SPI", "Spring Hill", "open", None, "D", None)],
    "MDI;HDI": [("MDI", "Moorland", "cat_c_trainer", None, "C", 0.77),
                ("HDI", "Hatfield", "open", None, "D", None)],
    "PBI;PFI": [("PBI", "Peterborough", "local", "adult_male;young_offender_male", "B;C", 0.64),
                ("PFI", "Peterborough Female", "female_local", "adult_female;young_offender_female", "B;C", None)],
    "UKI;UPI": [("UKI", "Usk", "cat_c_trainer", None, "C", 0.50),
                ("UPI", "Prescoed", "open", None, "D", None)],
}
ESTATE_ORDER = ["adult_male", "adult_female", "young_offender_male",
                "young_offender_female", "juvenile_male", "juvenile_female"]
FEMALE_FUNCTIONS = {"female_local", "female_closed", "female_open"}
WALES_SLA = ["ACI", "CFI", "EWI", "PRI", "UPI", "SHI", "STI", "SWI", "TCI"]
SAMPLE_CPAS = ["wales", "bristol_glos_somerset_wilts", "dorset_devon_cornwall", "hampshire_iow"]
SAMPLE_SCALE = 0.2


def half_up(x):
    return int(math.floor(x + 0.5))


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def estates_of(row, function):
    """Estates a prison holds (data/README.md, 'Inferences')."""
    notes = row["notes"].lower()
    if function in FEMALE_FUNCTIONS or row["estate"] == "adult_female":
        return "adult_female;young_offender_female"
    if function == "local":
        young = any(w in notes for w in ("young adult", "yoi", "dual-designated"))
        return "adult_male;young_offender_male" if young else "adult_male"
    if function == "yoi":
        return "young_offender_male"
    if function == "juvenile":
        return "juvenile_male"
    return row["estate"]


def build_prisons(reference):
    """One row per establishment, IRCs left out, two-site rows split."""
    prisons, population = [], {}
    for row in read(os.path.join(reference, "prisons_2014.csv")):
        if row["function"] == "irc":
            continue
        cap, cna, pop = (int(row["operational_capacity"]), int(row["in_use_cna"]),
                         int(row["population_aug2014"]))
        if row["code"] in SPLIT_SITES:
            first, second = SPLIT_SITES[row["code"]]
            share = first[5]
            parts = [(first, half_up(cap * share), half_up(cna * share), half_up(pop * share))]
            parts.append((second, cap - parts[0][1], cna - parts[0][2], pop - parts[0][3]))
            for (code, name, function, estates, cats, _), c, n, p in parts:
                estates = estates or estates_of(row, function)
                prisons.append(dict(code=code, name=name, cpa=row["cpa"], function=function,
                                    estates=estates, categories=cats, operator=row["operator"],
                                    operational_capacity=c, cna=n, lat=row["lat"], lon=row["lon"]))
                population[code] = p
            continue
        function = row["function"]
        prisons.append(dict(code=row["code"], name=row["name"], cpa=row["cpa"], function=function,
                            estates=estates_of(row, function), categories=row["categories"],
                            operator=row["operator"], operational_capacity=cap, cna=cna,
                            lat=row["lat"], lon=row["lon"]))
        population[row["code"]] = pop
    prisons.sort(key=lambda p: p["code"])
    return prisons, population


def haversine(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (float(a[0]), float(a[1]), float(b[0]), float(b[1])))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def published(reference, prisons, cpas):
    codes = {p["code"]: p for p in prisons}
    out = {}
    for row in read(os.path.join(reference, "resettlement_prisons_2016.csv")):
        for code in row["code"].split(";"):
            p = codes.get(code)
            if p is None or p["operational_capacity"] == 0:
                continue
            for cpa in row["lead_cpas"].split(";"):
                if cpa in cpas:
                    out[(code, cpa)] = "published"
    return out


def sla(prisons, cpas, designations):
    codes = {p["code"] for p in prisons}
    for code in WALES_SLA:
        if code in codes and "wales" in cpas:
            designations.setdefault((code, "wales"), "sla")


def is_adult_male(p):
    return "adult_male" in p["estates"].split(";")


def rule_locals(prisons, designations):
    for p in prisons:
        if p["function"] == "local" and is_adult_male(p):
            designations.setdefault((p["code"], p["cpa"]), "rule")


def rule_open(prisons, cpas, designations):
    for p in prisons:
        if p["function"] == "open" and is_adult_male(p):
            for cpa in [p["cpa"]] + cpas[p["cpa"]]["neighbours"]:
                if cpa in cpas:
                    designations.setdefault((p["code"], cpa), "rule")


def is_cat_c_trainer(p):
    return p["function"] == "cat_c_trainer" and is_adult_male(p) and "C" in p["categories"].split(";")


def rule_cat_c(prisons, cpas, designations, log):
    codes = {p["code"]: p for p in prisons}
    for cpa in sorted(cpas, key=lambda c: cpas[c]["number"]):
        if any(c == cpa and is_cat_c_trainer(codes[code]) for (code, c) in designations):
            continue
        locals_ = [p for p in prisons if p["cpa"] == cpa and p["function"] == "local"] \
            or [p for p in prisons if p["cpa"] == cpa]
        if not locals_:
            log.append(f"{cpa}: no prison in the CPA to measure from; no category C chosen")
            continue
        centre = (sum(float(p["lat"]) for p in locals_) / len(locals_),
                  sum(float(p["lon"]) for p in locals_) / len(locals_))
        designated = {code for (code, _) in designations}
        options = [p for p in prisons if is_cat_c_trainer(p) and p["code"] in designated
                   and p["cpa"] in cpas[cpa]["neighbours"]]
        if not options:
            log.append(f"{cpa}: no designated category C trainer in a neighbouring CPA")
            continue
        best = min(options, key=lambda p: (haversine(centre, (p["lat"], p["lon"])), p["code"]))
        designations[(best["code"], cpa)] = "rule"
        log.append(f"{cpa}: {best['code']} {best['name']} (in {best['cpa']}, "
                   f"{haversine(centre, (best['lat'], best['lon'])):.0f} km from its locals)")


def designate(reference, prisons, cpas, log):
    designations = published(reference, prisons, cpas)
    sla(prisons, cpas, designations)
    rule_locals(prisons, designations)
    rule_open(prisons, cpas, designations)
    rule_cat_c(prisons, cpas, designations, log)
    return designations


def write_set(out, cpas, prisons, population, designations):
    write(os.path.join(out, "cpas.csv"), ["cpa", "number", "name", "neighbours"],
          [[c, cpas[c]["number"], cpas[c]["name"], ";".join(cpas[c]["neighbours"])]
           for c in sorted(cpas, key=lambda c: cpas[c]["number"])])
    cols = ["code", "name", "cpa", "function", "estates", "categories", "operator",
            "operational_capacity", "cna", "lat", "lon"]
    write(os.path.join(out, "prisons.csv"), cols, [[p[c] for c in cols] for p in prisons])
    write(os.path.join(out, "published_population.csv"), ["prison", "population"],
          [[p["code"], population[p["code"]]] for p in prisons])
    write(os.path.join(out, "designations.csv"), ["prison", "cpa", "source"],
          [[p, c, s] for (p, c), s in sorted(designations.items())])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reference", default=os.path.join("data", "reference"))
    parser.add_argument("--out", default="data")
    args = parser.parse_args()

    cpas = {}
    for row in read(os.path.join(args.reference, "cpas.csv")):
        cpas[row["slug"]] = dict(number=int(row["number"]), name=row["name"],
                                 neighbours=[n for n in row["neighbours"].split(";") if n])
    prisons, population = build_prisons(args.reference)

    log = []
    designations = designate(args.reference, prisons, cpas, log)
    write_set(args.out, cpas, prisons, population, designations)
    print("national: rule (iii) category C from a neighbour:", *log, sep="\n  ", file=sys.stderr)

    # The sample: four CPAs at a fifth of their size.
    sample_cpas = {c: dict(cpas[c], neighbours=[n for n in cpas[c]["neighbours"] if n in SAMPLE_CPAS])
                   for c in SAMPLE_CPAS}
    sample = [dict(p, operational_capacity=half_up(p["operational_capacity"] * SAMPLE_SCALE),
                   cna=half_up(p["cna"] * SAMPLE_SCALE))
              for p in prisons if p["cpa"] in sample_cpas]
    sample_population = {p["code"]: half_up(population[p["code"]] * SAMPLE_SCALE) for p in sample}
    log = []
    sample_designations = designate(args.reference, sample, sample_cpas, log)
    write_set(os.path.join(args.out, "sample"), sample_cpas, sample, sample_population,
              sample_designations)
    print("sample: rule (iii):", *log, sep="\n  ", file=sys.stderr)
    print(f"national: {len(prisons)} prisons, {sum(p['operational_capacity'] for p in prisons)} places, "
          f"population {sum(population.values())}, {len(designations)} designations; "
          f"sample: {len(sample)} prisons, population {sum(sample_population.values())}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
