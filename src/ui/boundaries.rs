//! Municipality boundaries from GeoJSON ("Importér kommunegrænser…").
//!
//! Takes any GeoJSON `FeatureCollection` whose features carry the municipality code in `lau_1`
//! (as the file described in `../shared/data/README.md` does) and keeps the polygons of the
//! region's municipalities. Names are matched through the code, never the label: the file spells
//! Aarhus `Århus`.

use std::collections::BTreeMap;

use anyhow::{Context as _, anyhow, bail};
use geojson::{GeoJson, GeometryValue};

use crate::domain::region::Region;
use crate::store::BoundaryRing;

/// Parses GeoJSON text into boundary rings of `region`'s municipalities. Features of other
/// municipalities are skipped; a file with none of the region's is an error.
pub fn parse_boundaries(text: &str, region: &Region) -> anyhow::Result<Vec<BoundaryRing>> {
    let geojson: GeoJson = text.parse().context("the file is not valid GeoJSON")?;
    let GeoJson::FeatureCollection(collection) = geojson else {
        bail!("the file is GeoJSON but not a FeatureCollection");
    };
    let mut rings = Vec::new();
    let mut polygons_per_code: BTreeMap<u16, u32> = BTreeMap::new();
    let mut without_code = 0usize;
    for (index, feature) in collection.features.iter().enumerate() {
        let Some(code) = feature.property("lau_1").and_then(code_of) else {
            without_code += 1;
            continue;
        };
        if region.municipality_by_code(code).is_none() {
            continue;
        }
        let Some(geometry) = &feature.geometry else { continue };
        let polygons: Vec<&Vec<Vec<geojson::Position>>> = match &geometry.value {
            GeometryValue::Polygon { coordinates } => vec![coordinates],
            GeometryValue::MultiPolygon { coordinates } => coordinates.iter().collect(),
            other => bail!("feature {} (lau_1 {code}) is a {}, not a polygon", index + 1, other.type_name()),
        };
        for polygon in polygons {
            let number = polygons_per_code.entry(code).or_insert(0);
            for (ring_index, ring) in polygon.iter().enumerate() {
                let coords = ring
                    .iter()
                    .map(|p| match p.as_slice() {
                        [lon, lat, ..] if lon.is_finite() && lat.is_finite() => Ok([*lon, *lat]),
                        _ => Err(anyhow!("feature {} (lau_1 {code}) has a position without lon/lat", index + 1)),
                    })
                    .collect::<anyhow::Result<Vec<[f64; 2]>>>()?;
                if coords.len() < 3 {
                    continue;
                }
                rings.push(BoundaryRing { municipality_code: code, polygon: *number, ring: ring_index as u32, coords });
            }
            *number += 1;
        }
    }
    if rings.is_empty() {
        if without_code == collection.features.len() {
            bail!("no feature has a `lau_1` property (the municipality code)");
        }
        bail!("no feature belongs to a municipality of {}", region.name);
    }
    Ok(rings)
}

/// `lau_1` is a string ("0751" or "751") in the shared file; accept a number too.
fn code_of(value: &serde_json::Value) -> Option<u16> {
    match value {
        serde_json::Value::String(s) => s.trim().parse().ok(),
        serde_json::Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_file_gives_every_municipality_of_the_region_a_polygon() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/municipalities.geojson"))
                .expect("shared geojson");
        let region = Region::midtjylland();
        let rings = parse_boundaries(&text, &region).expect("parses");
        for m in &region.municipalities {
            assert!(rings.iter().any(|r| r.municipality_code == m.code), "{} has no polygon", m.name);
        }
        assert!(rings.iter().all(|r| region.municipality_by_code(r.municipality_code).is_some()));
    }

    #[test]
    fn a_file_without_the_regions_municipalities_is_refused_with_a_reason() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"lau_1":"101"},
            "geometry":{"type":"Polygon","coordinates":[[[12.5,55.6],[12.6,55.6],[12.6,55.7],[12.5,55.6]]]}}]}"#;
        let err = parse_boundaries(text, &Region::midtjylland()).expect_err("refused");
        assert!(err.to_string().contains("Region Midtjylland"), "{err}");
        let err = parse_boundaries("not json", &Region::midtjylland()).expect_err("refused");
        assert!(err.to_string().contains("GeoJSON"), "{err}");
    }
}
