#!/usr/bin/env python3
"""Simplified outlines of Region Midtjylland's 19 municipalities, for the map's first start.

Reads the public boundary file (Geodatastyrelsen & Danske Kommuner, FOT 2014, 1:500,000) and
writes `assets/midtjylland_municipalities.geojson`: only the region's municipalities (DK-82,
Samsø included), simplified with Douglas-Peucker, coordinates rounded to 4 decimals (~10 m).

Neighbours share their borders: each ring is cut into arcs at the points where the set of rings
using a vertex changes (junctions), and each arc is simplified once, the same way for both sides,
so the simplified municipalities still meet without gaps or overlaps. Tiny islets are dropped.

Usage (python3, standard library only):
    python3 scripts/simplify_boundaries.py [../shared/data/municipalities.geojson] [assets/...]
"""

import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "..", "shared", "data", "municipalities.geojson")
TARGET = os.path.join(HERE, "..", "assets", "midtjylland_municipalities.geojson")

# Douglas-Peucker tolerance in degrees of latitude (~150 m); longitude is scaled by cos(lat).
TOLERANCE = 0.0013
# Islands smaller than this (square degrees, scaled) are dropped (about 0.4 km²).
MIN_AREA = 0.00005
DIGITS = 4
# A turn sharper than this (about 160 degrees) is a needle, not a coastline.
SPIKE_COSINE = -0.94
REGION = "DK-82"
LAT_SCALE = math.cos(math.radians(56.2))


def key(p):
    return (round(p[0], 7), round(p[1], 7))


def perpendicular(p, a, b):
    """Distance of p from segment a-b, in scaled degrees."""
    px, py = p[0] * LAT_SCALE, p[1]
    ax, ay = a[0] * LAT_SCALE, a[1]
    bx, by = b[0] * LAT_SCALE, b[1]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0.0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def douglas_peucker(points, tolerance):
    """Keeps the first and last point; iterative, so long arcs do not recurse deeply."""
    if len(points) <= 2:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = perpendicular(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def turn_cosine(a, b, c):
    """Cosine of the angle between a->b and b->c: -1 is a full reversal (a spike)."""
    v1 = ((b[0] - a[0]) * LAT_SCALE, b[1] - a[1])
    v2 = ((c[0] - b[0]) * LAT_SCALE, c[1] - b[1])
    l1, l2 = math.hypot(*v1), math.hypot(*v2)
    if l1 == 0.0 or l2 == 0.0:
        return -1.0
    return (v1[0] * v2[0] + v1[1] * v2[1]) / (l1 * l2)


def despike(points):
    """Drops interior points where the line turns back on itself: a narrow spit or fjord that
    simplification left as a needle, which a stroked outline would draw as a long spike."""
    points = list(points)
    changed = True
    while changed and len(points) > 2:
        changed = False
        for i in range(1, len(points) - 1):
            if turn_cosine(points[i - 1], points[i], points[i + 1]) < SPIKE_COSINE:
                del points[i]
                changed = True
                break
    return points


def ring_area(ring):
    s = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        s += (x0 * LAT_SCALE) * y1 - (x1 * LAT_SCALE) * y0
    return abs(s) / 2.0


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else SOURCE
    target = sys.argv[2] if len(sys.argv) > 2 else TARGET
    with open(source, encoding="utf-8") as f:
        collection = json.load(f)

    # (code, name, [polygon = [ring = [point]]]) of the region's municipalities.
    features = []
    for feature in collection["features"]:
        props = feature["properties"]
        if props.get("iso_3166_2") != REGION:
            continue
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            rings = []
            for ring in polygon:
                points = [(p[0], p[1]) for p in ring]
                if len(points) > 1 and key(points[0]) == key(points[-1]):
                    points = points[:-1]
                if len(points) >= 3:
                    rings.append(points)
            if rings and ring_area(rings[0]) >= MIN_AREA:
                features.append((props["lau_1"], props["label_dk"], rings))

    # Which rings use each vertex: a vertex's "owners" decide where arcs start and end.
    owners = {}
    all_rings = [ring for (_, _, rings) in features for ring in rings]
    for index, ring in enumerate(all_rings):
        for p in ring:
            owners.setdefault(key(p), set()).add(index)

    # Arcs are simplified once each, keyed by their end points and length, in one direction.
    simplified_arcs = {}

    def simplify_ring(ring):
        n = len(ring)
        cuts = [
            i
            for i in range(n)
            if owners[key(ring[i])] != owners[key(ring[i - 1])] or owners[key(ring[i])] != owners[key(ring[(i + 1) % n])]
        ]
        if not cuts:
            # A ring nobody shares (an island): simplified on its own, cut at its westmost and
            # eastmost points, then despiked all round (no neighbour needs its points).
            west = min(range(n), key=lambda i: ring[i])
            east = max(range(n), key=lambda i: ring[i])
            lo, hi = sorted({west, east})
            if lo == hi:
                return list(ring)
            first = despike(douglas_peucker(ring[lo : hi + 1], TOLERANCE))
            second = despike(douglas_peucker(ring[hi:] + ring[: lo + 1], TOLERANCE))
            out = first[:-1] + second[:-1]
            return despike(out + out[:2])[:-2] if len(out) > 3 else out
        out = []
        for c, start in enumerate(cuts):
            end = cuts[(c + 1) % len(cuts)]
            arc = [ring[i % n] for i in range(start, end + (n if end <= start else 0) + 1)]
            forward = tuple(key(p) for p in arc)
            backward = tuple(reversed(forward))
            if backward in simplified_arcs:
                piece = list(reversed(simplified_arcs[backward]))
            elif forward in simplified_arcs:
                piece = simplified_arcs[forward]
            else:
                piece = despike(douglas_peucker(arc, TOLERANCE))
                simplified_arcs[forward] = piece
            out.extend(piece[:-1])
        return out

    by_code = {}
    names = {}
    for code, name, rings in features:
        polygon = []
        for ring in rings:
            simple = simplify_ring(ring)
            simple = [(round(x, DIGITS), round(y, DIGITS)) for (x, y) in simple]
            deduped = [p for i, p in enumerate(simple) if i == 0 or p != simple[i - 1]]
            if len(deduped) >= 3:
                polygon.append([list(p) for p in deduped] + [list(deduped[0])])
        if polygon:
            by_code.setdefault(code, []).append(polygon)
            names[code] = name

    out_features = [
        {
            "type": "Feature",
            "properties": {"lau_1": code, "label_dk": names[code], "iso_3166_2": REGION},
            "geometry": {"type": "MultiPolygon", "coordinates": by_code[code]},
        }
        for code in sorted(by_code)
    ]
    result = {
        "type": "FeatureCollection",
        "attribution": "Geodatastyrelsen & Danske Kommuner (FOT 2014, 1:500.000), simplified by scripts/simplify_boundaries.py",
        "features": out_features,
    }
    text = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
    with open(target, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    points = sum(len(r) for f in out_features for p in f["geometry"]["coordinates"] for r in p)
    print(f"{len(out_features)} municipalities, {points} points, {len(text.encode('utf-8'))} bytes -> {target}")
    if len(out_features) != 19:
        sys.exit(f"expected the region's 19 municipalities, got {len(out_features)}")


if __name__ == "__main__":
    main()
