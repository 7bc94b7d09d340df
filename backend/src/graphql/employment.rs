//! Placeholder for the employment API (issue 5); replaced by the real module.
use async_graphql::Object;

#[derive(Default)]
pub struct EmploymentQuery;

#[Object]
impl EmploymentQuery {
    async fn employment_placeholder(&self) -> bool {
        false
    }
}

#[derive(Default)]
pub struct EmploymentMutation;

#[Object]
impl EmploymentMutation {
    async fn employment_placeholder(&self) -> bool {
        false
    }
}
