"""The allocation of an instance by OR-tools' min-cost flow: an independent solver to check
`passerelle allocate` against, and a speed to compare with.

    python3 benches/allocation_ortools.py INSTANCE.json

Prints {"assignments": [{"applicant", "component", "units"}], "seconds": S} where S is the time of
building the network and solving it (not of reading the file). Needs `pip install ortools`.

The network is written here from the value's definition in the README, not from the Rust code:
source -> applicant (its k-th unit costs fairness * (k - 1)), applicant -> component (its k-th unit
of that component costs minus its value), component -> partner (capacity), partner -> sink (cap),
and an arc source -> sink of cost 0 for the units left ungiven.
"""

import json
import sys
import time

from ortools.graph.python import min_cost_flow

SCALE = 1e9


def solve(instance):
    started = time.perf_counter()
    flow = min_cost_flow.SimpleMinCostFlow()
    applicants = instance["applicants"]
    components = {c["id"]: (i, c) for i, c in enumerate(instance["components"])}
    partners = {p["id"]: (i, p) for i, p in enumerate(instance["partners"])}
    source = 0
    first_component = 1 + len(applicants)
    first_partner = first_component + len(components)
    sink = first_partner + len(partners)
    priority = instance.get("priority", {})
    diminishing = instance.get("diminishing", 1.0)
    fairness = instance.get("fairness", 0.0)

    unit_arcs = []
    for a, applicant in enumerate(applicants):
        bonus = sum(priority.get(g, 0.0) for g in applicant.get("groups", []))
        asked = {}
        for request in applicant["requests"]:
            units, fit = asked.get(request["component"], (0, float("-inf")))
            asked[request["component"]] = (max(units, request["units"]), max(fit, request["fit"]))
        reachable = 0
        for component_id, (units, fit) in asked.items():
            c, component = components[component_id]
            limit = min(units, component.get("per_org_max") or units, component["capacity"])
            for k in range(1, limit + 1):
                worth = (fit + bonus) * diminishing ** (k - 1)
                arc = flow.add_arc_with_capacity_and_unit_cost(
                    1 + a, first_component + c, 1, -round(worth * SCALE)
                )
                unit_arcs.append((arc, applicant["id"], component_id))
            reachable += limit
        most = applicant.get("max_units")
        most = reachable if most is None else min(most, reachable)
        for k in range(1, most + 1):
            flow.add_arc_with_capacity_and_unit_cost(source, 1 + a, 1, round(fairness * (k - 1) * SCALE))
    room = [0] * len(partners)
    for c, component in components.values():
        p, _ = partners[component["partner"]]
        flow.add_arc_with_capacity_and_unit_cost(first_component + c, first_partner + p, component["capacity"], 0)
        room[p] += component["capacity"]
    for p, partner in partners.values():
        cap = partner.get("capacity")
        flow.add_arc_with_capacity_and_unit_cost(
            first_partner + p, sink, room[p] if cap is None else min(cap, room[p]), 0
        )
    total = sum(room)
    flow.add_arc_with_capacity_and_unit_cost(source, sink, total, 0)
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise SystemExit(f"OR-tools: status {status}")
    units = {}
    for arc, applicant, component in unit_arcs:
        if flow.flow(arc) > 0:
            units[(applicant, component)] = units.get((applicant, component), 0) + flow.flow(arc)
    seconds = time.perf_counter() - started
    assignments = [{"applicant": a, "component": c, "units": u} for (a, c), u in sorted(units.items())]
    return {"assignments": assignments, "seconds": seconds}


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        instance = json.load(f)
    print(json.dumps(solve(instance)))
