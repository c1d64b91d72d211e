//! Municipality boundaries from GeoJSON ("Importér kommunegrænser…"), as bytes in, rings out.
//!
//! Takes any GeoJSON `FeatureCollection` whose features carry the municipality code in `lau_1`
//! (as `../shared/data/municipalities.geojson` does) and keeps the polygons of the region's
//! municipalities. Names are matched through the code, never the label: the file spells Aarhus
//! `Århus`. Any input gives rings or a `BoundaryError`, never a panic: the fuzz target
//! `fuzz/fuzz_targets/geojson_boundaries.rs` runs this function.

use std::collections::BTreeMap;

use geojson::{GeoJson, GeometryValue};

use super::BoundaryRing;
use crate::domain::region::Region;

/// Why a boundary file was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BoundaryError {
    #[error("the file is not UTF-8 text")]
    NotText,
    #[error("the file is not valid GeoJSON: {0}")]
    NotGeoJson(String),
    #[error("the file is GeoJSON but not a FeatureCollection")]
    NotACollection,
    #[error("feature {feature} (lau_1 {code}) is a {kind}, not a polygon")]
    NotAPolygon { feature: usize, code: u16, kind: String },
    #[error("feature {feature} (lau_1 {code}) has a position without lon/lat")]
    BadPosition { feature: usize, code: u16 },
    #[error("no feature has a `lau_1` property (the municipality code)")]
    NoCodes,
    #[error("no feature belongs to a municipality of {0}")]
    NoneInRegion(String),
}

/// Parses GeoJSON bytes into boundary rings of `region`'s municipalities. Features of other
/// municipalities are skipped; a file with none of the region's is an error.
pub fn parse_boundaries(bytes: &[u8], region: &Region) -> Result<Vec<BoundaryRing>, BoundaryError> {
    let text = std::str::from_utf8(bytes).map_err(|_| BoundaryError::NotText)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let geojson: GeoJson = text.parse().map_err(|e: geojson::Error| BoundaryError::NotGeoJson(e.to_string()))?;
    let GeoJson::FeatureCollection(collection) = geojson else {
        return Err(BoundaryError::NotACollection);
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
            other => {
                return Err(BoundaryError::NotAPolygon {
                    feature: index + 1,
                    code,
                    kind: other.type_name().to_string(),
                });
            }
        };
        for polygon in polygons {
            let number = polygons_per_code.entry(code).or_insert(0);
            for (ring_index, ring) in polygon.iter().enumerate() {
                let coords = ring
                    .iter()
                    .map(|p| match p.as_slice() {
                        [lon, lat, ..] if lon.is_finite() && lat.is_finite() => Ok([*lon, *lat]),
                        _ => Err(BoundaryError::BadPosition { feature: index + 1, code }),
                    })
                    .collect::<Result<Vec<[f64; 2]>, _>>()?;
                if coords.len() < 3 {
                    continue;
                }
                rings.push(BoundaryRing { municipality_code: code, polygon: *number, ring: ring_index as u32, coords });
            }
            *number = number.saturating_add(1);
        }
    }
    if rings.is_empty() {
        if without_code == collection.features.len() {
            return Err(BoundaryError::NoCodes);
        }
        return Err(BoundaryError::NoneInRegion(region.name.clone()));
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
