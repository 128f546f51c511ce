//! Distances between prisons.

use crate::domain::Prison;

/// The great-circle distance between two prisons in km (haversine, on a sphere of the Earth's
/// mean radius, 6,371 km), or `None` when either has no coordinates.
pub fn great_circle_km(a: &Prison, b: &Prison) -> Option<f64> {
    let ((lat1, lon1), (lat2, lon2)) = (a.location?, b.location?);
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    Some(2.0 * 6371.0 * h.sqrt().asin())
}
