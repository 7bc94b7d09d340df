//! Schema stability: the changes between the last released schema
//! (`schema/released.graphql`) and the current one that would break a client written against
//! the release, unless declared in `schema/breaking-changes.txt`.
//!
//! Additive changes are free: new types, new output fields, new optional arguments and input
//! fields, new enum values. Breaking are: a type, field, argument or enum value removed; a
//! type's kind changed; an output field's type changed other than by becoming non-null; an
//! argument or input field changed other than by becoming nullable; a new required argument
//! or input field (non-null without a default); a union member or an interface removed.
//! Removing a field or enum value that the release already marked `@deprecated` is the
//! sanctioned path and is not reported. Compiled for tests only.
use std::collections::{BTreeMap, BTreeSet};

use async_graphql::parser::types::{
    BaseType, ConstDirective, FieldDefinition, InputValueDefinition, Type, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::parser::Positioned;

/// One change that breaks clients; `path` names what changed (`Type.field(arg)`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BreakingChange {
    pub path: String,
    pub what: String,
}

/// The breaking changes from `released` to `current` (both SDL), in path order.
pub fn breaking_changes(released: &str, current: &str) -> Result<Vec<BreakingChange>, String> {
    let released = types_of(released).map_err(|e| format!("released schema: {e}"))?;
    let current = types_of(current).map_err(|e| format!("current schema: {e}"))?;
    let mut changes = Vec::new();
    let mut report = |path: String, what: String| changes.push(BreakingChange { path, what });
    for (name, old) in &released {
        let Some(new) = current.get(name) else {
            report(name.clone(), "type removed".into());
            continue;
        };
        match (&old.kind, &new.kind) {
            (TypeKind::Scalar, TypeKind::Scalar) => {}
            (TypeKind::Object(old_object), TypeKind::Object(new_object)) => {
                compare_interfaces(
                    name,
                    &old_object.implements,
                    &new_object.implements,
                    &mut report,
                );
                compare_fields(name, &old_object.fields, &new_object.fields, &mut report);
            }
            (TypeKind::Interface(old_interface), TypeKind::Interface(new_interface)) => {
                compare_interfaces(
                    name,
                    &old_interface.implements,
                    &new_interface.implements,
                    &mut report,
                );
                compare_fields(
                    name,
                    &old_interface.fields,
                    &new_interface.fields,
                    &mut report,
                );
            }
            (TypeKind::Union(old_union), TypeKind::Union(new_union)) => {
                let new_members = names(&new_union.members);
                for member in names(&old_union.members).difference(&new_members) {
                    report(name.clone(), format!("union member {member} removed"));
                }
            }
            (TypeKind::Enum(old_enum), TypeKind::Enum(new_enum)) => {
                let new_values: BTreeSet<&str> = new_enum
                    .values
                    .iter()
                    .map(|v| v.node.value.node.as_str())
                    .collect();
                for value in &old_enum.values {
                    let value_name = value.node.value.node.as_str();
                    if !new_values.contains(value_name) && !is_deprecated(&value.node.directives) {
                        report(format!("{name}.{value_name}"), "enum value removed".into());
                    }
                }
            }
            (TypeKind::InputObject(old_input), TypeKind::InputObject(new_input)) => {
                compare_inputs(
                    name,
                    &old_input.fields,
                    &new_input.fields,
                    "input field",
                    &mut report,
                );
            }
            (old_kind, new_kind) => report(
                name.clone(),
                format!(
                    "kind changed from {} to {}",
                    kind_name(old_kind),
                    kind_name(new_kind)
                ),
            ),
        }
    }
    changes.sort();
    Ok(changes)
}

/// The declared breaking changes: one `path` per line; `#` starts a comment.
pub fn declared(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
        .map(|line| {
            line.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

struct TypeInfo {
    kind: TypeKind,
}

fn types_of(sdl: &str) -> Result<BTreeMap<String, TypeInfo>, String> {
    let document = async_graphql::parser::parse_schema(sdl).map_err(|e| e.to_string())?;
    let mut types = BTreeMap::new();
    for definition in document.definitions {
        if let TypeSystemDefinition::Type(definition) = definition {
            let definition = definition.node;
            types.insert(
                definition.name.node.to_string(),
                TypeInfo {
                    kind: definition.kind,
                },
            );
        }
    }
    Ok(types)
}

fn compare_interfaces(
    type_name: &str,
    old: &[Positioned<async_graphql::Name>],
    new: &[Positioned<async_graphql::Name>],
    report: &mut impl FnMut(String, String),
) {
    let new = names(new);
    for interface in names(old).difference(&new) {
        report(
            type_name.to_string(),
            format!("no longer implements {interface}"),
        );
    }
}

fn compare_fields(
    type_name: &str,
    old: &[Positioned<FieldDefinition>],
    new: &[Positioned<FieldDefinition>],
    report: &mut impl FnMut(String, String),
) {
    let new: BTreeMap<&str, &FieldDefinition> = new
        .iter()
        .map(|f| (f.node.name.node.as_str(), &f.node))
        .collect();
    for field in old {
        let field = &field.node;
        let path = format!("{type_name}.{}", field.name.node);
        let Some(current) = new.get(field.name.node.as_str()) else {
            if !is_deprecated(&field.directives) {
                report(path, "field removed without being deprecated first".into());
            }
            continue;
        };
        if !output_compatible(&field.ty.node, &current.ty.node) {
            report(
                path.clone(),
                format!("type changed from {} to {}", field.ty.node, current.ty.node),
            );
        }
        compare_inputs(
            &path,
            &field.arguments,
            &current.arguments,
            "argument",
            report,
        );
    }
}

fn compare_inputs(
    owner: &str,
    old: &[Positioned<InputValueDefinition>],
    new: &[Positioned<InputValueDefinition>],
    noun: &str,
    report: &mut impl FnMut(String, String),
) {
    let separator = if noun == "argument" { "(" } else { "." };
    let closer = if noun == "argument" { ")" } else { "" };
    let old_by_name: BTreeMap<&str, &InputValueDefinition> = old
        .iter()
        .map(|v| (v.node.name.node.as_str(), &v.node))
        .collect();
    for value in old {
        let value = &value.node;
        let path = format!("{owner}{separator}{}{closer}", value.name.node);
        let Some(current) = new.iter().find(|v| v.node.name.node == value.name.node) else {
            report(path, format!("{noun} removed"));
            continue;
        };
        if !input_compatible(&value.ty.node, &current.node.ty.node) {
            report(
                path,
                format!(
                    "type changed from {} to {}",
                    value.ty.node, current.node.ty.node
                ),
            );
        }
    }
    for value in new {
        let value = &value.node;
        if !old_by_name.contains_key(value.name.node.as_str())
            && !value.ty.node.nullable
            && value.default_value.is_none()
        {
            report(
                format!("{owner}{separator}{}{closer}", value.name.node),
                format!("new required {noun} (non-null without a default)"),
            );
        }
    }
}

/// An output may become stricter (nullable → non-null), never looser or another type.
fn output_compatible(old: &Type, new: &Type) -> bool {
    if old.nullable != new.nullable && !old.nullable {
        return false;
    }
    match (&old.base, &new.base) {
        (BaseType::Named(a), BaseType::Named(b)) => a == b,
        (BaseType::List(a), BaseType::List(b)) => output_compatible(a, b),
        _ => false,
    }
}

/// An input may become looser (non-null → nullable), never stricter or another type.
fn input_compatible(old: &Type, new: &Type) -> bool {
    if old.nullable != new.nullable && old.nullable {
        return false;
    }
    match (&old.base, &new.base) {
        (BaseType::Named(a), BaseType::Named(b)) => a == b,
        (BaseType::List(a), BaseType::List(b)) => input_compatible(a, b),
        _ => false,
    }
}

fn is_deprecated(directives: &[Positioned<ConstDirective>]) -> bool {
    directives
        .iter()
        .any(|directive| directive.node.name.node == "deprecated")
}

fn names(list: &[Positioned<async_graphql::Name>]) -> BTreeSet<String> {
    list.iter().map(|name| name.node.to_string()).collect()
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Scalar => "scalar",
        TypeKind::Object(_) => "object",
        TypeKind::Interface(_) => "interface",
        TypeKind::Union(_) => "union",
        TypeKind::Enum(_) => "enum",
        TypeKind::InputObject(_) => "input object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RELEASED: &str = r#"
        type Query { site(id: ID!): Site  sites(first: Int): [Site!]!  old: Int @deprecated(reason: "use sites") }
        type Site { id: ID!  name: String  code: String!  kind: Kind! }
        enum Kind { URBAN RURAL LEGACY @deprecated }
        input SiteInput { name: String!  note: String }
        union Record = Site
        interface Node { id: ID! }
    "#;

    fn paths(current: &str) -> Vec<String> {
        breaking_changes(RELEASED, current)
            .unwrap()
            .into_iter()
            .map(|change| format!("{}: {}", change.path, change.what))
            .collect()
    }

    #[test]
    fn the_same_schema_and_additions_break_nothing() {
        assert!(paths(RELEASED).is_empty());
        let additive = r#"
            type Query { site(id: ID!, at: String): Site  sites(first: Int, after: String = null): [Site!]!
                         old: Int @deprecated(reason: "use sites")  siteByCode(code: String!): Site }
            type Site { id: ID!  name: String!  code: String!  kind: Kind!  address: String }
            enum Kind { URBAN RURAL LEGACY @deprecated TOWN }
            input SiteInput { name: String  note: String  extra: Int = 3 }
            union Record = Site | Query
            interface Node { id: ID! }
            type New { x: Int }
        "#;
        // Also: Site.name became non-null (stricter output) and SiteInput.name nullable (looser input).
        assert_eq!(paths(additive), Vec::<String>::new());
    }

    #[test]
    fn removing_what_was_deprecated_is_the_sanctioned_path() {
        let current = RELEASED
            .replace(r#"old: Int @deprecated(reason: "use sites")"#, "")
            .replace("LEGACY @deprecated", "");
        assert!(paths(&current).is_empty(), "{:?}", paths(&current));
    }

    #[test]
    fn removals_and_incompatible_changes_are_reported_with_their_path() {
        let current = r#"
            type Query { site(id: String!): Site  sites(first: Int!): [Site]!  old: Int
                         extra(required: Int!): Int }
            type Site { code: String  kind: Kind!  name: Int }
            enum Kind { URBAN }
            input SiteInput { note: String!  must: Int! }
            union Record = Query
            scalar Node
        "#;
        assert_eq!(
            paths(current),
            [
                "Kind.RURAL: enum value removed",
                "Node: kind changed from interface to scalar",
                "Query.site(id): type changed from ID! to String!",
                "Query.sites: type changed from [Site!]! to [Site]!",
                "Query.sites(first): type changed from Int to Int!",
                "Record: union member Site removed",
                "Site.code: type changed from String! to String",
                "Site.id: field removed without being deprecated first",
                "Site.name: type changed from String to Int",
                "SiteInput.must: new required input field (non-null without a default)",
                "SiteInput.name: input field removed",
                "SiteInput.note: type changed from String to String!",
            ]
        );
    }

    #[test]
    fn declarations_are_one_path_per_line_with_comments() {
        let text = "# declared for 2.0.0\nSite.id  # replaced by code\n\n  Kind.RURAL\n";
        assert_eq!(
            declared(text),
            ["Kind.RURAL".to_string(), "Site.id".to_string()].into()
        );
    }

    /// The contract: nothing in the current schema breaks a client of the last release
    /// unless `schema/breaking-changes.txt` declares it (and the changelog explains it).
    #[test]
    fn the_schema_keeps_every_promise_of_the_last_release() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let released = std::fs::read_to_string(root.join("schema/released.graphql")).unwrap();
        let declared_text =
            std::fs::read_to_string(root.join("schema/breaking-changes.txt")).unwrap();
        let declared = declared(&declared_text);
        let undeclared: Vec<_> = breaking_changes(&released, &super::super::schema_sdl())
            .unwrap()
            .into_iter()
            .filter(|change| !declared.contains(&change.path))
            .collect();
        assert!(
            undeclared.is_empty(),
            "breaking changes against schema/released.graphql: deprecate instead of removing, \
             or declare them in schema/breaking-changes.txt and CHANGELOG.md:\n{undeclared:#?}"
        );
    }
}
