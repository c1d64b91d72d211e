//! GeoJSON boundary import over arbitrary bytes: `store::boundaries::parse_boundaries` must
//! return rings or a `BoundaryError`, never panic, and every ring it returns is usable by the map.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

use tutorfordeling::domain::region::Region;
use tutorfordeling::store::boundaries::parse_boundaries;

fn region() -> &'static Region {
    static REGION: OnceLock<Region> = OnceLock::new();
    REGION.get_or_init(Region::midtjylland)
}

fuzz_target!(|data: &[u8]| {
    if let Ok(rings) = parse_boundaries(data, region()) {
        for r in &rings {
            assert!(r.coords.len() >= 3, "a ring of fewer than 3 points");
            assert!(r.coords.iter().all(|[lon, lat]| lon.is_finite() && lat.is_finite()));
            assert!(region().municipality_by_code(r.municipality_code).is_some());
        }
    }
});
