//! The Relay `Node` interface and `node(id:)`: any record by its opaque global ID.
use async_graphql::{Context, Interface, Object, Result, ID};

use super::ids::decode_any_id;
use super::ids::NodeType;
use super::registry::{resolve_node, Community, Household, Person, Site, Town, Village};
use super::responsibility::{resolve_task, ResponsibilityTask};

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
    ResponsibilityTask(ResponsibilityTask),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any record by its global ID; null when it does not exist.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        let (node_type, number) = decode_any_id("id", &id)?;
        match node_type {
            NodeType::ResponsibilityTask => {
                Ok(resolve_task(ctx, number, crate::clock::today_in_china())
                    .await?
                    .map(Node::ResponsibilityTask))
            }
            _ => resolve_node(ctx, node_type, number).await,
        }
    }
}
