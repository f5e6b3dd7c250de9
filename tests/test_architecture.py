"""The import graph stays one-way between the plugin's packages: no package or top-level module
of ``lms`` imports another that imports it back, directly or through others. Where a lower feature needs an answer from a
higher one, it asks through lms.features.ask (or reacts to an event) instead of importing it."""

from collections import defaultdict

import grimp


def package_imports():
    """{(importer, imported): [module -> module lines]} between lms's direct children."""
    graph = grimp.build_graph("lms")
    found = defaultdict(list)
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if len(other) >= 2 and other[0] == "lms" and other[1] != parts[1]:
                found[parts[1], other[1]].append(f"{module} -> {imported}")
    return found


def test_no_package_imports_one_that_imports_it_back():
    imports = package_imports()
    two_way = {f"{a} <-> {b}": imports[a, b] + imports[b, a] for a, b in imports if a < b and (b, a) in imports}
    assert two_way == {}


def cycles(imports):
    """The packages from which some chain of imports leads back to themselves."""
    edges = defaultdict(set)
    for importer, imported in imports:
        edges[importer].add(imported)

    def reachable(start):
        seen, todo = set(), [start]
        while todo:
            for nxt in edges[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        return seen

    return sorted(package for package in list(edges) if package in reachable(package))


def test_no_chain_of_imports_leads_back_to_its_start():
    assert cycles(package_imports()) == []


def test_a_cycle_through_three_packages_is_seen():
    assert cycles({("a", "b"): [], ("b", "c"): [], ("c", "a"): [], ("c", "d"): []}) == ["a", "b", "c"]


def test_the_check_sees_imports_between_packages():
    """The graph is the real one: known one-way imports are in it (a check that saw nothing
    would pass for any code)."""
    imports = package_imports()
    assert ("gaps", "coaching") in imports and ("coaching", "gaps") not in imports
    assert ("pulse", "gaps") in imports and ("gaps", "pulse") not in imports
