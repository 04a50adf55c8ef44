//! Grades: a letter per TLS endpoint, a percentage per category of the
//! domain, and an overall letter that says why.

mod model;

pub use model::{Cap, Category, CategoryScore, Confidence, EndpointGrade, Grades, Letter, OverallGrade};
