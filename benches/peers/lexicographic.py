#!/usr/bin/env python3
"""Replays resettle's lexicographic LP (`resettle plan --write-model FILE`) with another solver.

    lexicographic.py MPS OBJECTIVES_CSV --solver highs|scip [--method ipm|simplex|default]
                     [--time-limit SECS]

Reads MPS with the solver's own reader, then solves every objective of OBJECTIVES_CSV (header
stage,objective,sense,column,cost) in its stage order as an LP: stage 1 first, each later stage
with every earlier objective held at its optimum by a row `costs·x <= value + slack` (min) or
`>= value - slack` (max), slack = 1e-7 * max(|value|, 100), as resettle holds them (a value
within 1e-3 of a whole number, with whole costs, is first rounded to it when that loosens the
row). Prints a line per stage and a last line of JSON:
{"solver", "method", "read_s", "stages": [{"name", "value", "seconds"}], "total_s", "status"}.
"""
import argparse
import csv
import json
import sys
import time

import highspy  # both set up by setup.sh; imported here, before the clock starts
import pyscipopt

SLACK, MIN_SCALE = 1e-7, 100.0


def read_objectives(path):
    """[(name, sense, [(column name, cost)])] in stage order."""
    stages = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            stage = stages.setdefault(int(row["stage"]), (row["objective"], row["sense"], []))
            stage[2].append((row["column"], float(row["cost"])))
    return [stages[k] for k in sorted(stages)]


def held_bounds(sense, costs, value):
    """(lower, upper) of the row that holds an objective at `value`, as resettle holds it."""
    whole = all(c == int(c) for _, c in costs)
    r = round(value)
    if whole and abs(value - r) < 1e-3 and (r >= value if sense == "min" else r <= value):
        value = r
    slack = SLACK * max(abs(value), MIN_SCALE)
    return (None, value + slack) if sense == "min" else (value - slack, None)


class Highs:
    def __init__(self, mps, method):
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("solver", {"default": "choose"}.get(method, method))
        if self.h.readModel(mps) != highspy.HighsStatus.kOk:
            sys.exit(f"HiGHS could not read {mps}")
        lp = self.h.getLp()
        self.n = lp.num_col_
        self.index = {name: j for j, name in enumerate(lp.col_names_)}

    def solve(self, sense, costs, time_limit):
        h = self.h
        cost = [0.0] * self.n
        for name, c in costs:
            cost[self.index[name]] = c
        h.changeColsCost(self.n, list(range(self.n)), cost)
        h.changeObjectiveOffset(0.0)
        sense = highspy.ObjSense.kMinimize if sense == "min" else highspy.ObjSense.kMaximize
        h.changeObjectiveSense(sense)
        # HiGHS's time limit is on its run time added up over every run()
        h.setOptionValue("time_limit", h.getRunTime() + max(time_limit, 0.0))
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return "optimal", h.getInfo().objective_function_value
        if status == highspy.HighsModelStatus.kTimeLimit:
            return "time_limit", None
        return h.modelStatusToString(status).lower(), None

    def hold(self, sense, costs, value):
        lower, upper = held_bounds(sense, costs, value)
        inf = highspy.kHighsInf
        idx = [self.index[name] for name, _ in costs]
        self.h.addRow(-inf if lower is None else lower, inf if upper is None else upper,
                      len(idx), idx, [c for _, c in costs])


class Scip:
    def __init__(self, mps, method):
        self.m = pyscipopt.Model()
        self.m.hideOutput()
        if method == "ipm":
            sys.exit("SCIP's LP solver (SoPlex) has no interior point method")
        if method == "simplex":
            self.m.setParam("lp/initalgorithm", "d")
            self.m.setParam("lp/resolvealgorithm", "d")
        self.m.readProblem(mps)
        self.var = {v.name: v for v in self.m.getVars()}

    def expr(self, costs):
        return pyscipopt.quicksum(c * self.var[name] for name, c in costs)

    def solve(self, sense, costs, time_limit):
        m = self.m
        m.freeTransform()  # back to the original problem, to take a new objective
        m.setObjective(self.expr(costs), "minimize" if sense == "min" else "maximize")
        m.setParam("limits/time", min(max(time_limit, 0.0), 1e20))
        m.optimize()
        status = m.getStatus()
        if status == "optimal":
            return "optimal", m.getObjVal()
        return ("time_limit" if status == "timelimit" else status), None

    def hold(self, sense, costs, value):
        lower, upper = held_bounds(sense, costs, value)
        expr = self.expr(costs)
        self.m.freeTransform()  # back to the original problem, to take a row
        self.m.addCons(expr <= upper if lower is None else expr >= lower)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("mps")
    p.add_argument("objectives")
    p.add_argument("--solver", choices=["highs", "scip"], required=True)
    p.add_argument("--method", choices=["ipm", "simplex", "default"], default="default")
    p.add_argument("--time-limit", type=float, default=float("inf"))
    a = p.parse_args()

    start = time.perf_counter()
    solver = (Highs if a.solver == "highs" else Scip)(a.mps, a.method)
    objectives = read_objectives(a.objectives)
    read_s = time.perf_counter() - start
    print(f"read {a.mps} ({len(objectives)} stages) in {read_s:.2f} s", flush=True)
    stages, status = [], "optimal"
    for k, (name, sense, costs) in enumerate(objectives):
        t = time.perf_counter()
        if k > 0:  # hold the stage before at its optimum (the earlier ones are held already)
            _, prev_sense, prev_costs = objectives[k - 1]
            solver.hold(prev_sense, prev_costs, stages[-1]["value"])
        status, value = solver.solve(sense, costs, a.time_limit - (time.perf_counter() - start))
        seconds = time.perf_counter() - t
        if status == "optimal" and time.perf_counter() - start > a.time_limit:
            status = "time_limit"
        if status != "optimal":
            print(f"stage {k + 1} '{name}': {status} after {seconds:.2f} s", flush=True)
            break
        stages.append({"name": name, "value": value, "seconds": round(seconds, 3)})
        print(f"stage {k + 1} '{name}': {value:.6f} in {seconds:.2f} s", flush=True)
    total_s = time.perf_counter() - start
    print(json.dumps({"solver": a.solver, "method": a.method, "read_s": round(read_s, 3),
                      "stages": stages, "total_s": round(total_s, 3), "status": status}))
    return 0 if status in ("optimal", "time_limit") else 1


if __name__ == "__main__":
    sys.exit(main())
