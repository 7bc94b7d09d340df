//! Placeholder for the alerts API (issue 5); replaced by the real module.
use async_graphql::Object;

#[derive(Default)]
pub struct AlertsQuery;

#[Object]
impl AlertsQuery {
    async fn alerts_placeholder(&self) -> bool {
        false
    }
}

#[derive(Default)]
pub struct AlertsMutation;

#[Object]
impl AlertsMutation {
    async fn alerts_placeholder(&self) -> bool {
        false
    }
}
