//! The region's master data: districts, municipalities and hospital units (DOMAIN.md §2).
//!
//! This is the shipped default. A database holds its own copy, where the threatened flag (P5)
//! is editable per municipality.

use serde::{Deserialize, Serialize};

/// A district of Region Midtjylland (DOMAIN.md §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum District {
    /// Øst
    East,
    /// Midt
    Middle,
    /// Vest
    West,
}

impl District {
    pub const ALL: [District; 3] = [District::East, District::Middle, District::West];

    /// The Danish name, as the region writes it.
    pub fn danish(self) -> &'static str {
        match self {
            District::East => "Øst",
            District::Middle => "Midt",
            District::West => "Vest",
        }
    }

    pub fn from_danish(name: &str) -> Option<District> {
        District::ALL.into_iter().find(|d| {
            d.danish().eq_ignore_ascii_case(name.trim()) || d.danish().to_lowercase() == name.trim().to_lowercase()
        })
    }
}

/// A municipality of the region, with the hospital unit whose catchment it lies in (§2.2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Municipality {
    /// The LAU-1 code, as in the boundary GeoJSON (`lau_1`).
    pub code: u16,
    /// Danish spelling, e.g. `Ringkøbing-Skjern`.
    pub name: String,
    pub district: District,
    /// Name of the hospital unit whose catchment holds this municipality.
    pub hospital_unit: String,
    /// Centre, WGS84 degrees.
    pub lat: f64,
    pub lon: f64,
    /// Rule P5: lies in an area threatened by GP shortage (lægedækningstruet).
    pub threatened: bool,
}

/// A hospital unit (§2.2). Its catchment is the municipalities that name it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HospitalUnit {
    pub name: String,
    pub district: District,
    /// Coordinators working for this unit's area (§2.3).
    pub coordinators: u8,
}

/// The hospital unit that pays out the salary of intro, phase 2, phase 3 and other specialties
/// (DOMAIN.md §5).
pub const GODSTRUP: &str = "Regionshospitalet Gødstrup";

/// The region's geography and organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub name: String,
    pub municipalities: Vec<Municipality>,
    pub hospital_units: Vec<HospitalUnit>,
}

impl Region {
    /// Region Midtjylland as DOMAIN.md §2 describes it, with the 2019 PLO threatened areas.
    pub fn midtjylland() -> Region {
        const E: District = District::East;
        const M: District = District::Middle;
        const W: District = District::West;
        const RAN: &str = "Regionshospitalet Randers";
        const AUH: &str = "Aarhus Universitetshospital";
        const HOR: &str = "Hospitalsenhed Horsens";
        const MID: &str = "Hospitalsenhed Midt";
        // (code, name, district, unit, lat, lon, threatened)
        let rows: [(u16, &str, District, &str, f64, f64, bool); 19] = [
            (730, "Randers", E, RAN, 56.4607, 10.0364, false),
            (710, "Favrskov", E, RAN, 56.3167, 9.9500, false),
            (707, "Norddjurs", E, RAN, 56.4400, 10.7000, true),
            (706, "Syddjurs", E, RAN, 56.2600, 10.5300, false),
            (751, "Aarhus", E, AUH, 56.1572, 10.2107, false),
            (741, "Samsø", E, AUH, 55.8700, 10.6200, true),
            (727, "Odder", E, HOR, 55.9731, 10.1530, false),
            (746, "Skanderborg", E, HOR, 56.0394, 9.9292, false),
            (766, "Hedensted", E, HOR, 55.7700, 9.7000, false),
            (615, "Horsens", E, HOR, 55.8607, 9.8503, false),
            (779, "Skive", M, MID, 56.5667, 9.0333, true),
            (791, "Viborg", M, MID, 56.4532, 9.4020, false),
            (740, "Silkeborg", M, MID, 56.1697, 9.5451, false),
            (661, "Holstebro", W, GODSTRUP, 56.3601, 8.6161, false),
            (665, "Lemvig", W, GODSTRUP, 56.5486, 8.3102, true),
            (671, "Struer", W, GODSTRUP, 56.4917, 8.5833, true),
            (657, "Herning", W, GODSTRUP, 56.1393, 8.9738, false),
            (756, "Ikast-Brande", W, GODSTRUP, 56.0600, 9.1500, false),
            (760, "Ringkøbing-Skjern", W, GODSTRUP, 56.0000, 8.3500, true),
        ];
        let municipalities = rows
            .iter()
            .map(|&(code, name, district, unit, lat, lon, threatened)| Municipality {
                code,
                name: name.to_string(),
                district,
                hospital_unit: unit.to_string(),
                lat,
                lon,
                threatened,
            })
            .collect();
        let hospital_units = [(RAN, E, 1), (AUH, E, 2), (HOR, E, 1), (MID, M, 2), (GODSTRUP, W, 2)]
            .iter()
            .map(|&(name, district, coordinators)| HospitalUnit { name: name.to_string(), district, coordinators })
            .collect();
        Region { name: "Region Midtjylland".to_string(), municipalities, hospital_units }
    }

    /// Finds a municipality by its Danish name, case-insensitive. `Århus` is read as Aarhus.
    pub fn municipality(&self, name: &str) -> Option<&Municipality> {
        let wanted = name.trim().to_lowercase();
        let wanted = if wanted == "århus" { "aarhus".to_string() } else { wanted };
        self.municipalities.iter().find(|m| m.name.to_lowercase() == wanted)
    }

    pub fn municipality_by_code(&self, code: u16) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.code == code)
    }

    /// Finds a hospital unit by its exact name (case-insensitive).
    pub fn hospital_unit(&self, name: &str) -> Option<&HospitalUnit> {
        let wanted = name.trim().to_lowercase();
        self.hospital_units.iter().find(|h| h.name.to_lowercase() == wanted)
    }

    /// Rule H4/H5: the municipalities in a hospital unit's catchment.
    pub fn catchment<'a>(&'a self, unit: &'a str) -> impl Iterator<Item = &'a Municipality> + 'a {
        self.municipalities.iter().filter(move |m| m.hospital_unit.eq_ignore_ascii_case(unit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_has_19_municipalities_in_5_catchments() {
        let r = Region::midtjylland();
        assert_eq!(r.municipalities.len(), 19);
        assert_eq!(r.hospital_units.len(), 5);
        assert_eq!(r.catchment(GODSTRUP).count(), 6);
        assert_eq!(r.catchment("Aarhus Universitetshospital").count(), 2);
        let coordinators: u32 = r.hospital_units.iter().map(|h| u32::from(h.coordinators)).sum();
        assert_eq!(coordinators, 8);
    }

    #[test]
    fn municipality_names_match_case_insensitively_and_arhus_is_aarhus() {
        let r = Region::midtjylland();
        assert_eq!(r.municipality("ringkøbing-skjern").map(|m| m.code), Some(760));
        assert_eq!(r.municipality("Århus").map(|m| m.code), Some(751));
        assert!(r.municipality("København").is_none());
    }

    #[test]
    fn samso_ships_in_district_east_under_aarhus_and_threatened() {
        let r = Region::midtjylland();
        let s = r.municipality("Samsø").expect("Samsø");
        assert_eq!(s.district, District::East);
        assert_eq!(s.hospital_unit, "Aarhus Universitetshospital");
        assert!(s.threatened);
    }
}
