//! The selection compiler: a read of the registry tree — a site, household or person by
//! `node(id:)`, a site's pages of households, their members, and back up to the household and
//! the site — compiled into **one SQL statement that builds the JSON answer in the database**,
//! the way PostGraphile answers, instead of resolving row by row.
//!
//! Resolving a site's 2 000 persons field by field costs a resolver call, a policy check and
//! a value node per field; the database can build the same JSON in one pass. The compiler
//! covers the registry selections bureaus run all day (issue 7's Q1, Q2, Q4), and each
//! person's jobs, training enrolments and insurance rows with their stored fields (Q6) for
//! readers of those domains, and declines
//! everything else, which then runs through the schema as before: fragments other than inline
//! fragments on `node`, directives, fields it does not know, arguments it cannot prove valid,
//! principals whose answers need per-field errors (a missing data domain) or a town scope
//! (`node` of another town is a NOT_FOUND error there). A request it accepts is first
//! validated against the schema (types, depth, complexity), so it answers exactly what the
//! schema would; `tests/integration/compiled_queries.rs` compares both paths.
//!
//! Global IDs and cursors are base64 of text, which SQLite cannot compute: the statement
//! writes them as text behind a marker (`\u001f\u001e`, control characters no stored text
//! holds) and [`expand_markers`] encodes them in one pass over the answer.
use std::fmt::Write as _;
use std::num::NonZeroUsize;
use std::sync::{LazyLock, Mutex};

use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, Field, OperationDefinition, OperationType,
    Selection, SelectionSet,
};
use async_graphql::resolver_utils::EnumType;
use async_graphql::{Positioned, Value, Variables};
use auth::policy::{DataDomain, Permissions};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::Datelike as _;
use domain::employment::EmploymentType as DomainEmploymentType;
use domain::services::{
    InsuranceKind as DomainInsuranceKind, InsuranceStatus as DomainInsuranceStatus,
};
use lru::LruCache;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

use super::employment::EmploymentType;
use super::ids::{decode_any_id, NodeType};
use super::public_services::{InsuranceKind, InsuranceStatus};
use crate::access::{Principal, RowScope};
use crate::persistence::paging::{Cursor, MAX_PAGE_SIZE};

/// The answer of `request` (the JSON of `{"data": …}`) computed in one statement, or `None`
/// when the compiler declines it and the schema must run it.
pub async fn answer(
    db: &DatabaseConnection,
    schema: &super::AppSchema,
    principal: Option<&Principal>,
    request: &async_graphql::Request,
) -> Option<String> {
    let principal = principal?;
    if principal.must_change_password
        || principal.service_client_id.is_some()
        || principal.scope != RowScope::District
        || !principal.permissions.can_read(DataDomain::Identity)
    {
        return None;
    }
    // Every compiled read starts at `node`: other documents are not even parsed here.
    if !request.query.contains("node") {
        return None;
    }
    let document = super::documents::parsed(&request.query)?;
    let dialect = match db.get_database_backend() {
        DatabaseBackend::Postgres => Dialect::Postgres,
        DatabaseBackend::Sqlite => Dialect::Sqlite,
        _ => return None,
    };
    let (sql, values) = compile(
        &document,
        request.operation_name.as_deref(),
        &request.variables,
        dialect,
        &principal.permissions,
    )?;
    if !validated(schema, &document, request).await {
        return None;
    }
    let row = match db
        .query_one(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            values,
        ))
        .await
    {
        Ok(row) => row?,
        Err(error) => {
            tracing::error!(%error, "a compiled query failed; answering through the schema");
            return None;
        }
    };
    let data: String = row.try_get("", "data").ok()?;
    let mut body = String::with_capacity(data.len() + 16);
    body.push_str("{\"data\":");
    expand_markers(&data, &mut body);
    body.push('}');
    Some(body)
}

/// The statement (SQL and the values of its placeholders) of a document's operation, or
/// `None` when the compiler does not cover it.
pub fn compile(
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
    dialect: Dialect,
    permissions: &Permissions,
) -> Option<(String, Vec<sea_orm::Value>)> {
    if !document.fragments.is_empty() {
        return None;
    }
    let operation = chosen_operation(document, operation_name)?;
    if operation.node.ty != OperationType::Query || !operation.node.directives.is_empty() {
        return None;
    }
    let mut compiler = Compiler {
        dialect,
        operation: &operation.node,
        variables,
        permissions,
        aliases: 0,
        parameters: Vec::new(),
    };
    let fields = plain_fields(&operation.node.selection_set.node)?;
    // Nothing to read (`{ __typename }`): the schema answers without the database.
    if !fields.iter().any(|field| field.name.node == "node") || !distinct_keys(&fields) {
        return None;
    }
    let mut pairs = Vec::with_capacity(fields.len());
    for field in fields {
        let value = match field.name.node.as_str() {
            "__typename" => quote("QueryRoot"),
            "node" => compiler.node(field)?,
            _ => return None,
        };
        pairs.push((response_key(field), value));
    }
    let object = dialect.object(&pairs)?;
    let sql = match dialect {
        Dialect::Postgres => format!("SELECT CAST({object} AS TEXT) AS data"),
        Dialect::Sqlite => format!("SELECT {object} AS data"),
    };
    Some((sql, compiler.parameters))
}

/// The operation of `document` that a request runs: the named one, or the only one.
fn chosen_operation<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<&'a Positioned<OperationDefinition>> {
    match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => Some(operation),
        (DocumentOperations::Multiple(operations), Some(name)) => operations
            .iter()
            .find(|(candidate, _)| candidate.as_str() == name)
            .map(|(_, operation)| operation),
        // One named operation and no name asked for: that operation (as the schema runs it).
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// Requests the compiler accepted that passed the schema's validation, by
/// [`validation_key`]. The schema is built from code alone (its limits are constants), so
/// one cache serves every schema of the process.
static VALIDATED: LazyLock<Mutex<LruCache<String, ()>>> = LazyLock::new(|| {
    Mutex::new(LruCache::new(
        NonZeroUsize::new(VALIDATED_CAPACITY).unwrap_or(NonZeroUsize::MIN),
    ))
});

/// Requests remembered as valid (a key is the document, the operation name and the
/// variables: a few kilobytes at most).
const VALIDATED_CAPACITY: usize = 1024;

/// Whether `request` passes the schema's validation (types, variables, depth, complexity),
/// asking the schema only the first time a document is seen with variables of that shape.
async fn validated(
    schema: &super::AppSchema,
    document: &ExecutableDocument,
    request: &async_graphql::Request,
) -> bool {
    let Some(key) = validation_key(document, request) else {
        return super::client_operations::is_valid_request(schema, request).await;
    };
    let known = VALIDATED
        .lock()
        .is_ok_and(|mut cache| cache.get(&key).is_some());
    if known {
        return true;
    }
    let valid = super::client_operations::is_valid_request(schema, request).await;
    if valid {
        if let Ok(mut cache) = VALIDATED.lock() {
            cache.put(key, ());
        }
    }
    valid
}

/// What the validation of a request depends on: the document, the operation name and the
/// variables — except the text of `ID` and `String` variables, which validation only checks
/// to be strings (the compiler decodes IDs and cursors itself and declines bad ones). So the
/// same page of another site, or the next page, is validated once. Integer variables (page
/// sizes, which the complexity limit weighs) and every other variable are kept as given.
fn validation_key(
    document: &ExecutableDocument,
    request: &async_graphql::Request,
) -> Option<String> {
    let operation = chosen_operation(document, request.operation_name.as_deref())?;
    let mut variables = request.variables.clone();
    for definition in &operation.node.variable_definitions {
        let definition = &definition.node;
        let BaseType::Named(type_name) = &definition.var_type.node.base else {
            continue;
        };
        if matches!(type_name.as_str(), "ID" | "String") {
            if let Some(value @ Value::String(_)) = variables.get_mut(&definition.name.node) {
                *value = Value::String(String::new());
            }
        }
    }
    let variables = serde_json::to_string(&variables).ok()?;
    let name = request.operation_name.as_deref().unwrap_or_default();
    Some(format!("{name}\u{0}{variables}\u{0}{}", request.query))
}

/// The two SQL dialects: PostgreSQL's `json_build_object`/`json_agg` and SQLite's
/// `json_object`/`json_group_array`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    Sqlite,
}

/// The most fields one compiled object may have: PostgreSQL functions take at most 100
/// arguments, and `json_build_object` takes two per field. A wider object is declined.
const MAX_OBJECT_FIELDS: usize = 50;

impl Dialect {
    /// A JSON object of `pairs`, or `None` when it has more than [`MAX_OBJECT_FIELDS`].
    fn object(self, pairs: &[(&str, String)]) -> Option<String> {
        if pairs.len() > MAX_OBJECT_FIELDS {
            return None;
        }
        let function = match self {
            Dialect::Postgres => "json_build_object",
            Dialect::Sqlite => "json_object",
        };
        let mut sql = format!("{function}(");
        for (index, (key, value)) in pairs.iter().enumerate() {
            if index > 0 {
                sql.push_str(", ");
            }
            let _ = write!(sql, "'{key}', {value}");
        }
        sql.push(')');
        Some(sql)
    }

    /// A JSON array of `value` over the rows (in `order`, those passing `filter`); `[]` when none.
    fn array(self, value: &str, order: &str, filter: Option<&str>) -> String {
        let filter = filter
            .map(|condition| format!(" FILTER (WHERE {condition})"))
            .unwrap_or_default();
        match self {
            Dialect::Postgres => {
                format!("COALESCE(json_agg({value} ORDER BY {order}){filter}, '[]'::json)")
            }
            Dialect::Sqlite => {
                format!("json(COALESCE(json_group_array({value} ORDER BY {order}){filter}, '[]'))")
            }
        }
    }

    /// A scalar subquery that yields JSON, as a JSON value (SQLite forgets that a subquery's
    /// text is JSON).
    fn embed(self, subquery: &str) -> String {
        match self {
            Dialect::Postgres => format!("({subquery})"),
            Dialect::Sqlite => format!("json(({subquery}))"),
        }
    }

    /// A condition as JSON `true`/`false` (SQLite has no boolean type); null stays null.
    fn boolean(self, condition: &str) -> String {
        match self {
            Dialect::Postgres => format!("({condition})"),
            Dialect::Sqlite => format!(
                "json(CASE WHEN ({condition}) IS NULL THEN 'null' WHEN ({condition}) THEN 'true' ELSE 'false' END)"
            ),
        }
    }

    /// Text that [`expand_markers`] turns into base64: the marker, then `parts` concatenated.
    fn encoded(self, parts: &[&str]) -> String {
        let (marker, unit) = match self {
            Dialect::Postgres => ("chr(31) || chr(30)", "chr(31)"),
            Dialect::Sqlite => ("char(31, 30)", "char(31)"),
        };
        let mut sql = String::from(marker);
        for part in parts {
            sql.push_str(" || ");
            sql.push_str(if *part == UNIT_SEPARATOR { unit } else { part });
        }
        sql
    }

    fn global_id(self, node_type: NodeType, id: &str) -> String {
        let prefix = quote(&format!("{}:", node_type.name()));
        self.encoded(&[&prefix, &format!("CAST({id} AS TEXT)")])
    }

    /// The cursor of a household in id order (`Cursor { sort: "ID", key: None, id }`).
    fn id_cursor(self, id: &str) -> String {
        self.encoded(&[
            "'ID'",
            UNIT_SEPARATOR,
            &format!("CAST({id} AS TEXT)"),
            UNIT_SEPARATOR,
        ])
    }
}

/// Stands for the byte 0x1f inside [`Dialect::encoded`]'s parts.
const UNIT_SEPARATOR: &str = "\u{1f}";

struct Compiler<'a> {
    dialect: Dialect,
    operation: &'a OperationDefinition,
    variables: &'a Variables,
    /// The reader's data domains: a list of another domain than identity is compiled only
    /// for readers of that domain (others get the schema's per-field error).
    permissions: &'a Permissions,
    aliases: usize,
    /// The values of the statement's placeholders: ids, cursors and years are bound, not
    /// written into the text, so that every request of one shape is the same statement
    /// (prepared once per connection). Page sizes (at most [`MAX_PAGE_SIZE`], checked
    /// integers) are written into the text instead: with a bound `LIMIT` PostgreSQL's
    /// generic plan looks costlier than the custom ones and it plans the statement again on
    /// every execution (~0.17 ms of Q1's ~0.7 ms in the database); with literal page sizes it
    /// keeps one generic plan per shape and page size after five executions.
    parameters: Vec<sea_orm::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Object {
    Site,
    Household,
    Person,
}

impl Object {
    fn node_type(self) -> NodeType {
        match self {
            Object::Site => NodeType::Site,
            Object::Household => NodeType::Household,
            Object::Person => NodeType::Person,
        }
    }

    fn table(self) -> &'static str {
        match self {
            Object::Site => "site",
            Object::Household => "household",
            Object::Person => "person",
        }
    }
}

/// The lists of a person's own records the compiler covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PersonRecords {
    EmploymentSpells,
    TrainingEnrolments,
    InsuranceEnrolments,
}

impl PersonRecords {
    fn domain(self) -> DataDomain {
        match self {
            PersonRecords::EmploymentSpells => DataDomain::Employment,
            PersonRecords::TrainingEnrolments => DataDomain::Training,
            PersonRecords::InsuranceEnrolments => DataDomain::Insurance,
        }
    }

    fn table(self) -> &'static str {
        match self {
            PersonRecords::EmploymentSpells => "employment_spell",
            PersonRecords::TrainingEnrolments => "training_enrolment",
            PersonRecords::InsuranceEnrolments => "insurance_enrolment",
        }
    }

    fn node_type(self) -> NodeType {
        match self {
            PersonRecords::EmploymentSpells => NodeType::EmploymentSpell,
            PersonRecords::TrainingEnrolments => NodeType::TrainingEnrolment,
            PersonRecords::InsuranceEnrolments => NodeType::InsuranceEnrolment,
        }
    }
}

/// `column`'s stored code as the name of the GraphQL enum `T` (whose values mirror the domain
/// enum `D`); an unknown code is null.
fn enum_case<T, D>(column: &str, code: fn(D) -> &'static str) -> String
where
    T: EnumType,
    D: From<T>,
{
    let mut sql = format!("CASE {column}");
    for item in T::items() {
        let _ = write!(
            sql,
            " WHEN {} THEN {}",
            quote(code(D::from(item.value))),
            quote(item.name)
        );
    }
    sql.push_str(" END");
    sql
}

impl Compiler<'_> {
    /// A placeholder bound to `value` (`$n` on PostgreSQL, `?n` on SQLite).
    fn parameter(&mut self, value: i64) -> String {
        self.parameters.push(value.into());
        let number = self.parameters.len();
        match self.dialect {
            Dialect::Postgres => format!("${number}"),
            Dialect::Sqlite => format!("?{number}"),
        }
    }

    fn alias(&mut self) -> String {
        self.aliases += 1;
        format!("c{}", self.aliases)
    }

    /// `node(id:)`: a site, household or person with the inline fragments that apply to it.
    fn node(&mut self, field: &Field) -> Option<String> {
        if field.arguments.len() != 1 {
            return None;
        }
        let Value::String(id) = self.value(field, "id")?? else {
            return None;
        };
        let (node_type, number) = decode_any_id("id", &id).ok()?;
        let object = match node_type {
            NodeType::Site => Object::Site,
            NodeType::Household => Object::Household,
            NodeType::Person => Object::Person,
            _ => return None,
        };
        let mut fields = Vec::new();
        for item in &field.selection_set.node.items {
            if !item.node.directives().is_empty() {
                return None;
            }
            match &item.node {
                Selection::Field(field) => fields.push(&field.node),
                Selection::InlineFragment(fragment) => {
                    let applies = match &fragment.node.type_condition {
                        None => true,
                        Some(condition) => {
                            let name = condition.node.on.node.as_str();
                            name == node_type.name() || name == "Node"
                        }
                    };
                    if applies {
                        fields.extend(plain_fields(&fragment.node.selection_set.node)?);
                    }
                }
                Selection::FragmentSpread(_) => return None,
            }
        }
        let alias = self.alias();
        let value = self.object(object, &alias, &fields)?;
        let number = self.parameter(number);
        Some(self.dialect.embed(&format!(
            "SELECT {value} FROM {table} {alias} WHERE {alias}.id = {number}",
            table = object.table()
        )))
    }

    /// The JSON object of the row `alias` of `object` with `fields`.
    fn object(&mut self, object: Object, alias: &str, fields: &[&Field]) -> Option<String> {
        if !distinct_keys(fields) {
            return None;
        }
        let dialect = self.dialect;
        let mut pairs = Vec::with_capacity(fields.len());
        for field in fields {
            let name = field.name.node.as_str();
            if !matches!(name, "households" | "insuranceEnrolments") && !field.arguments.is_empty()
            {
                return None;
            }
            let scalar = |column: &str| Some(format!("{alias}.{column}"));
            let value = match (object, name) {
                (_, "__typename") => Some(quote(object.node_type().name())),
                (_, "id") => Some(dialect.global_id(object.node_type(), &format!("{alias}.id"))),
                (Object::Site, "code" | "name" | "address") => scalar(name),
                (Object::Site, "households") => self.households(alias, field),
                (Object::Household, "code") => scalar("code"),
                (Object::Household, "version") | (Object::Person, "version") => scalar("version"),
                (Object::Household, "registeredPoor") => {
                    Some(dialect.boolean(&format!("{alias}.registered_poor")))
                }
                (Object::Household, "relocatedOn") => scalar("relocated_on"),
                (Object::Household, "members") => {
                    let member = self.alias();
                    let fields = plain_fields(&field.selection_set.node)?;
                    let value = self.object(Object::Person, &member, &fields)?;
                    let array = dialect.array(&value, &format!("{member}.id"), None);
                    Some(dialect.embed(&format!(
                        "SELECT {array} FROM person {member}
                         WHERE {member}.household_id = {alias}.id AND {member}.archived_at IS NULL"
                    )))
                }
                (Object::Household, "site") => self.parent(Object::Site, alias, "site_id", field),
                (Object::Person, "name") => scalar("name"),
                (Object::Person, "birthDate") => scalar("birth_date"),
                (Object::Person, "household") => {
                    self.parent(Object::Household, alias, "household_id", field)
                }
                (Object::Person, "employmentSpells") => {
                    self.records(PersonRecords::EmploymentSpells, alias, field)
                }
                (Object::Person, "trainingEnrolments") => {
                    self.records(PersonRecords::TrainingEnrolments, alias, field)
                }
                (Object::Person, "insuranceEnrolments") => {
                    self.records(PersonRecords::InsuranceEnrolments, alias, field)
                }
                _ => None,
            }?;
            pairs.push((response_key(field), value));
        }
        dialect.object(&pairs)
    }

    /// A person's own records (`Person.employmentSpells`, `trainingEnrolments`,
    /// `insuranceEnrolments(year:)`) as a JSON array in the order the resolvers give, with
    /// their stored fields; computed ones (a training's allowance, money in yuan) and links
    /// are left to the schema.
    fn records(&mut self, records: PersonRecords, person: &str, field: &Field) -> Option<String> {
        if !self.permissions.can_read(records.domain()) {
            return None;
        }
        let dialect = self.dialect;
        let row = self.alias();
        let mut filter = String::new();
        if records == PersonRecords::InsuranceEnrolments {
            let year = match self.value(field, "year")? {
                Some(Value::Number(year)) => {
                    year.as_i64().filter(|year| i32::try_from(*year).is_ok())?
                }
                None => i64::from(crate::clock::today_in_china().year()),
                Some(_) => return None,
            };
            if field.arguments.len() > 1 {
                return None;
            }
            filter = format!(" AND {row}.year = {}", self.parameter(year));
        }
        let fields = plain_fields(&field.selection_set.node)?;
        if !distinct_keys(&fields) {
            return None;
        }
        let mut pairs = Vec::with_capacity(fields.len());
        for field in fields {
            if !field.arguments.is_empty() {
                return None;
            }
            let name = field.name.node.as_str();
            let column = |column: &str| Some(format!("{row}.{column}"));
            let boolean = |condition: &str| Some(dialect.boolean(&format!("{row}.{condition}")));
            use PersonRecords::*;
            let value = match (records, name) {
                (_, "__typename") => Some(quote(records.node_type().name())),
                (_, "id") => Some(dialect.global_id(records.node_type(), &format!("{row}.id"))),
                (_, "version") => column("version"),
                (EmploymentSpells | InsuranceEnrolments, "personId") => {
                    Some(dialect.global_id(NodeType::Person, &format!("{row}.person_id")))
                }
                (EmploymentSpells, "employmentType") => Some(enum_case::<EmploymentType, _>(
                    &format!("{row}.employment_type"),
                    DomainEmploymentType::code,
                )),
                (EmploymentSpells, "employerName") => column("employer_name"),
                (EmploymentSpells, "location") => column("location"),
                (EmploymentSpells, "startsOn") => column("starts_on"),
                (EmploymentSpells, "endsOn") => column("ends_on"),
                (EmploymentSpells, "isCurrent") => boolean("ends_on IS NULL"),
                (TrainingEnrolments | InsuranceEnrolments, "enrolledOn") => column("enrolled_on"),
                (TrainingEnrolments, "attendedDays") => column("attended_days"),
                (TrainingEnrolments, "completed") => boolean("completed"),
                (TrainingEnrolments, "certificateNo") => column("certificate_no"),
                (TrainingEnrolments, "employedAfterTraining") => boolean("employed_after_training"),
                (InsuranceEnrolments, "kind") => Some(enum_case::<InsuranceKind, _>(
                    &format!("{row}.kind"),
                    DomainInsuranceKind::code,
                )),
                (InsuranceEnrolments, "status") => Some(enum_case::<InsuranceStatus, _>(
                    &format!("{row}.status"),
                    DomainInsuranceStatus::code,
                )),
                (InsuranceEnrolments, "year") => column("year"),
                _ => None,
            }?;
            pairs.push((response_key(field), value));
        }
        let object = dialect.object(&pairs)?;
        let order = match records {
            // Current jobs first, then the newest (`persistence::employment::spells_of_persons`).
            PersonRecords::EmploymentSpells => {
                format!("({row}.ends_on IS NOT NULL), {row}.starts_on DESC, {row}.id DESC")
            }
            PersonRecords::TrainingEnrolments => format!("{row}.enrolled_on, {row}.id"),
            PersonRecords::InsuranceEnrolments => format!("{row}.id"),
        };
        let array = dialect.array(&object, &order, None);
        Some(dialect.embed(&format!(
            "SELECT {array} FROM {table} {row} WHERE {row}.person_id = {person}.id{filter}",
            table = records.table()
        )))
    }

    /// The row of `object` that the row `alias` points to by `column`.
    fn parent(
        &mut self,
        object: Object,
        alias: &str,
        column: &str,
        field: &Field,
    ) -> Option<String> {
        let parent = self.alias();
        let fields = plain_fields(&field.selection_set.node)?;
        let value = self.object(object, &parent, &fields)?;
        Some(self.dialect.embed(&format!(
            "SELECT {value} FROM {table} {parent} WHERE {parent}.id = {alias}.{column}",
            table = object.table()
        )))
    }

    /// `Site.households(first:, after:, includeArchived:)`: one page in id order, as a
    /// connection (`nodes`, `edges { cursor node }`, `pageInfo`).
    fn households(&mut self, site: &str, field: &Field) -> Option<String> {
        let mut first = None;
        let mut after = None;
        let mut include_archived = false;
        for (name, _) in &field.arguments {
            match (name.node.as_str(), self.value(field, name.node.as_str())?) {
                ("first", Some(Value::Number(number))) => first = number.as_u64(),
                ("after", Some(Value::String(cursor))) => after = Some(cursor),
                ("after", None) => {}
                ("includeArchived", Some(Value::Boolean(flag))) => include_archived = flag,
                _ => return None,
            }
        }
        let first = first.filter(|first| *first <= MAX_PAGE_SIZE)? as i64;
        let after = match after {
            Some(text) => Some(Cursor::decode("after", &text, "ID").ok()?.id),
            None => None,
        };
        let dialect = self.dialect;
        let page = self.alias();
        let inner = self.alias();
        let size = first;
        let within = format!("{page}.rn <= {size}");
        let mut pairs = Vec::new();
        let connection_fields = plain_fields(&field.selection_set.node)?;
        if !distinct_keys(&connection_fields) {
            return None;
        }
        for connection_field in connection_fields {
            if !connection_field.arguments.is_empty() {
                return None;
            }
            let value = match connection_field.name.node.as_str() {
                "__typename" => quote("HouseholdConnection"),
                "nodes" => {
                    let fields = plain_fields(&connection_field.selection_set.node)?;
                    let value = self.object(Object::Household, &page, &fields)?;
                    dialect.array(&value, &format!("{page}.id"), Some(&within))
                }
                "edges" => {
                    let edge_fields = plain_fields(&connection_field.selection_set.node)?;
                    if !distinct_keys(&edge_fields) {
                        return None;
                    }
                    let mut edge = Vec::new();
                    for edge_field in edge_fields {
                        let value = match edge_field.name.node.as_str() {
                            "__typename" => quote("HouseholdEdge"),
                            "cursor" => dialect.id_cursor(&format!("{page}.id")),
                            "node" => {
                                let fields = plain_fields(&edge_field.selection_set.node)?;
                                self.object(Object::Household, &page, &fields)?
                            }
                            _ => return None,
                        };
                        edge.push((response_key(edge_field), value));
                    }
                    dialect.array(
                        &dialect.object(&edge)?,
                        &format!("{page}.id"),
                        Some(&within),
                    )
                }
                "pageInfo" => {
                    let info_fields = plain_fields(&connection_field.selection_set.node)?;
                    if !distinct_keys(&info_fields) {
                        return None;
                    }
                    let mut info = Vec::new();
                    for info_field in info_fields {
                        let value = match info_field.name.node.as_str() {
                            "__typename" => quote("PageInfo"),
                            "hasNextPage" => dialect.boolean(&format!("COUNT(*) > {size}")),
                            "hasPreviousPage" => {
                                dialect.boolean(if after.is_some() { "1 = 1" } else { "1 = 0" })
                            }
                            "startCursor" => dialect
                                .id_cursor(&format!("MIN(CASE WHEN {within} THEN {page}.id END)")),
                            "endCursor" => dialect
                                .id_cursor(&format!("MAX(CASE WHEN {within} THEN {page}.id END)")),
                            _ => return None,
                        };
                        info.push((response_key(info_field), value));
                    }
                    dialect.object(&info)?
                }
                _ => return None,
            };
            pairs.push((response_key(connection_field), value));
        }
        let archived = if include_archived {
            String::new()
        } else {
            format!(" AND {inner}.archived_at IS NULL")
        };
        let after = match after {
            Some(id) => format!(" AND {inner}.id > {}", self.parameter(id)),
            None => String::new(),
        };
        let limit = first + 1;
        let object = dialect.object(&pairs)?;
        Some(dialect.embed(&format!(
            "SELECT {object} FROM (
               SELECT {inner}.*, ROW_NUMBER() OVER (ORDER BY {inner}.id) AS rn
               FROM household {inner}
               WHERE {inner}.site_id = {site}.id{archived}{after}
               ORDER BY {inner}.id LIMIT {limit}
             ) {page}"
        )))
    }

    /// The value of argument `name`: `Some(None)` when absent or null, `None` when it names a
    /// variable the request does not give (nor the operation defaults).
    fn value(&self, field: &Field, name: &str) -> Option<Option<Value>> {
        let Some((_, value)) = field
            .arguments
            .iter()
            .find(|(argument, _)| argument.node.as_str() == name)
        else {
            return Some(None);
        };
        let value = value
            .node
            .clone()
            .into_const_with(|variable| self.variable(&variable).ok_or(()))
            .ok()?;
        Some(match value {
            Value::Null => None,
            value => Some(value),
        })
    }

    fn variable(&self, name: &async_graphql::Name) -> Option<Value> {
        if let Some(value) = self.variables.get(name) {
            return Some(value.clone());
        }
        self.operation
            .variable_definitions
            .iter()
            .find(|definition| definition.node.name.node == *name)
            .and_then(|definition| definition.node.default_value.as_ref())
            .map(|default| default.node.clone())
    }
}

/// The fields of a selection set without fragments or directives, or `None`.
fn plain_fields(selection_set: &SelectionSet) -> Option<Vec<&Field>> {
    let mut fields = Vec::with_capacity(selection_set.items.len());
    for item in &selection_set.items {
        match &item.node {
            Selection::Field(field) if field.node.directives.is_empty() => {
                fields.push(&field.node);
            }
            _ => return None,
        }
    }
    Some(fields)
}

/// Whether no two fields answer under the same key (merging them is left to the schema).
fn distinct_keys(fields: &[&Field]) -> bool {
    let mut keys: Vec<&str> = fields.iter().map(|field| response_key(field)).collect();
    keys.sort_unstable();
    keys.windows(2).all(|pair| pair[0] != pair[1])
}

fn response_key(field: &Field) -> &str {
    field
        .alias
        .as_ref()
        .map(|alias: &Positioned<async_graphql::Name>| alias.node.as_str())
        .unwrap_or(field.name.node.as_str())
}

/// A SQL string literal of text this module controls (type and field names).
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Copies `json` to `out`, replacing each string that begins with the marker `\u001f\u001e`
/// by the URL-safe base64 (no padding) of the rest of its text.
pub fn expand_markers(json: &str, out: &mut String) {
    const MARKER: &str = "\"\\u001f\\u001e";
    let mut rest = json;
    while let Some(start) = rest.find(MARKER) {
        out.push_str(&rest[..start]);
        let content_start = start + MARKER.len();
        let Some(length) = rest[content_start..].find('"') else {
            out.push_str(&rest[start..]);
            return;
        };
        let escaped = &rest[content_start..content_start + length];
        let text = escaped
            .replace("\\u001f", "\u{1f}")
            .replace("\\u001e", "\u{1e}");
        out.push('"');
        out.push_str(&URL_SAFE_NO_PAD.encode(text));
        out.push('"');
        rest = &rest[content_start + length + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sql(query: &str, variables: serde_json::Value) -> Option<(String, Vec<sea_orm::Value>)> {
        let document = async_graphql::parser::parse_query(query).unwrap();
        let variables = Variables::from_json(variables);
        let everything =
            Permissions::from_grants(DataDomain::ALL.iter().map(|&domain| auth::policy::Grant {
                domain,
                can_read: true,
                can_write: false,
            }));
        compile(&document, None, &variables, Dialect::Postgres, &everything)
    }

    #[test]
    fn markers_become_the_ids_and_cursors_the_schema_issues() {
        let mut out = String::new();
        expand_markers(
            r#"{"id" : "\u001f\u001eSite:27", "c": "\u001f\u001eID\u001f5\u001f", "n": "名"}"#,
            &mut out,
        );
        let site = super::super::ids::encode_id(NodeType::Site, 27).0;
        let cursor = Cursor {
            sort: "ID".into(),
            key: None,
            id: 5,
        }
        .encode();
        assert_eq!(
            out,
            format!(r#"{{"id" : "{site}", "c": "{cursor}", "n": "名"}}"#)
        );
    }

    fn key(query: &str, variables: serde_json::Value) -> Option<String> {
        let document = async_graphql::parser::parse_query(query).unwrap();
        let request = async_graphql::Request::new(query).variables(Variables::from_json(variables));
        validation_key(&document, &request)
    }

    #[test]
    fn a_validation_is_remembered_for_every_id_and_cursor_but_not_for_other_page_sizes() {
        let query = "query($site: ID!, $after: String, $first: Int, $at: Date) {
            node(id: $site) { id } }";
        let base = key(
            query,
            serde_json::json!({"site": "U2l0ZToy", "after": "a", "first": 10}),
        )
        .unwrap();
        // Another site and another cursor: validation only checked that they are strings.
        assert_eq!(
            key(
                query,
                serde_json::json!({"site": "U2l0ZToz", "after": "b", "first": 10})
            ),
            Some(base.clone())
        );
        // A page size (weighed by the complexity limit), a wrong type and a scalar that
        // parses its text are part of the key.
        assert_ne!(
            key(
                query,
                serde_json::json!({"site": "U2l0ZToy", "after": "a", "first": 100})
            ),
            Some(base.clone())
        );
        assert_ne!(
            key(
                query,
                serde_json::json!({"site": 7, "after": "a", "first": 10})
            ),
            Some(base.clone())
        );
        assert_ne!(
            key(
                query,
                serde_json::json!({"site": "U2l0ZToy", "first": 10, "at": "2026-01-01"})
            ),
            key(
                query,
                serde_json::json!({"site": "U2l0ZToy", "first": 10, "at": "not a date"})
            )
        );
        // Another document or operation name.
        assert_ne!(
            key("{ node(id: \"a\") { id } }", serde_json::json!({})),
            Some(base)
        );
    }

    #[test]
    fn the_registry_tree_compiles_and_everything_else_is_declined() {
        let site = super::super::ids::encode_id(NodeType::Site, 3).0;
        let tree = "query($s: ID!) { node(id: $s) { ... on Site { id name
            households(first: 50) { nodes { id code members { id name birthDate } } } } } }";
        let (compiled, values) = sql(tree, serde_json::json!({ "s": site })).expect("compiled");
        // The site's id is bound; the page's size and limit are written into the text (so
        // that PostgreSQL keeps a generic plan).
        assert!(compiled.contains("LIMIT 51"), "{compiled}");
        assert!(compiled.contains(".rn <= 50"), "{compiled}");
        assert_eq!(values, vec![3i64.into()]);
        // A named operation, alone in its document, runs without its name being asked for.
        let named = tree.replacen("query(", "query Q1(", 1);
        assert!(sql(&named, serde_json::json!({ "s": site })).is_some());
        // Declined: a field it does not know, a directive, a named fragment, a page too large,
        // a mutation, a record type outside the registry tree, a missing variable.
        // An object of more fields than PostgreSQL's functions take arguments.
        let wide: String = (0..51).map(|i| format!("f{i}: name ")).collect();
        let wide = format!("{{ node(id: \"U2l0ZToz\") {{ ... on Site {{ {wide} }} }} }}");
        assert!(
            sql(&wide, serde_json::json!({})).is_none(),
            "51 fields compiled"
        );
        let fifty: String = (0..50).map(|i| format!("f{i}: name ")).collect();
        let fifty = format!("{{ node(id: \"U2l0ZToz\") {{ ... on Site {{ {fifty} }} }} }}");
        assert!(
            sql(&fifty, serde_json::json!({})).is_some(),
            "50 fields declined"
        );
        for (query, variables) in [
            ("{ node(id: \"U2l0ZToz\") { ... on Site { householdCount } } }", serde_json::json!({})),
            ("{ node(id: \"U2l0ZToz\") { id @include(if: true) } }", serde_json::json!({})),
            ("query { node(id: \"U2l0ZToz\") { ...F } } fragment F on Site { id }", serde_json::json!({})),
            ("{ node(id: \"U2l0ZToz\") { ... on Site { households(first: 101) { nodes { id } } } } }", serde_json::json!({})),
            ("mutation { logout }", serde_json::json!({})),
            ("{ node(id: \"VG93bjox\") { id } }", serde_json::json!({})),
            ("query($s: ID!) { node(id: $s) { id } }", serde_json::json!({})),
            ("{ sites(first: 1) { nodes { id } } }", serde_json::json!({})),
            ("{ __typename }", serde_json::json!({})),
            ("{ a: node(id: \"U2l0ZToz\") { id } a: node(id: \"U2l0ZToz\") { id } }", serde_json::json!({})),
        ] {
            assert!(sql(query, variables).is_none(), "compiled: {query}");
        }
    }
}
