//! report.html (stub).
pub fn render(_view: &super::outputs::ClassView, _pairs: &[super::similarity::Pair]) -> String {
    String::new()
}
