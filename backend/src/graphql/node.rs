//! The Relay `Node` interface and `node(id:)`: any record by its opaque global ID.
use async_graphql::{Context, Interface, Object, Result, ID};

use super::ids::decode_any_id;
use super::registry::{resolve_node, Community, Household, Person, Site, Town, Village};

/// A record with a global ID.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    Town(Town),
    Community(Community),
    Village(Village),
    Site(Site),
    Household(Household),
    Person(Person),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any record by its global ID; null when it does not exist.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        let (node_type, number) = decode_any_id("id", &id)?;
        resolve_node(ctx, node_type, number).await
    }
}
