//! The bureaus' ledgers (台账) as data: for each list a bureau used to keep in a spreadsheet, the
//! GraphQL query that reads it, the columns shown, the filters offered and the forms that add
//! to it or act on a row.
//!
//! One description serves three readers, so they cannot drift apart:
//! - the web app renders every ledger with one generic page (`frontend/src/ledger`);
//! - the server exports any ledger as .xlsx by running the same query as the signed-in user,
//!   so the spreadsheet has the API's row scope, field policy and masking
//!   (`backend/src/http/ledger_exports.rs`);
//! - the integration suite runs every query and checks every form against the live schema
//!   (`tests/integration/ledgers.rs`).
//!
//! Plain data and pure functions only: no framework types, no I/O.

mod format;
mod specs;
mod variables;

pub use format::display;
pub use specs::all;
pub use variables::{declares_list, insert_at, typed_value, value_at};

/// One ledger: a list page of the web app and a spreadsheet export.
#[derive(Debug)]
pub struct Ledger {
    /// The page's address (`/ledgers/{key}`) and the export's (`/exports/ledgers/{key}.xlsx`).
    pub key: &'static str,
    /// What the bureau calls it, e.g. 岗位信息库.
    pub title: &'static str,
    /// Where it belongs in the plans, for grouping on the index page.
    pub group: Group,
    /// The clause of DOMAIN.md the ledger serves, e.g. `A2§1`.
    pub clause: &'static str,
    /// One line on what is kept here.
    pub description: &'static str,
    /// The data domain a user must be able to read for the ledger to be offered (the server
    /// decides in the end; this only keeps the navigation honest).
    pub read_domain: &'static str,
    /// The query. It declares `$first: Int` and `$after: String` when [`Shape::Connection`],
    /// plus one variable per filter.
    pub query: &'static str,
    /// The field of the answer that holds the rows: a root field, or a dotted path into one
    /// (`partyVisitGaps.seats`).
    pub root: &'static str,
    pub shape: Shape,
    pub columns: &'static [Column],
    pub filters: &'static [Filter],
    /// Forms above the list that add a record.
    pub forms: &'static [Form],
    /// Forms on each row that act on it (record an outcome, advance a state, …).
    pub row_actions: &'static [RowAction],
}

/// How the rows come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A Relay connection: `{ totalCount pageInfo { hasNextPage endCursor } nodes { … } }`,
    /// paged with `$first`/`$after`.
    Connection,
    /// A plain list of a few records (plan-sized, never population-sized).
    List,
}

/// The annex (or part) of the plans a ledger belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// 附件1 产业发展.
    Industry,
    /// 附件2 就业创业与培训.
    Employment,
    /// 附件3 公共服务.
    PublicServices,
    /// 附件4 社区治理.
    Governance,
    /// 附件5 增减挂钩与宅基地.
    Land,
    /// 附件6 党建.
    Party,
}

impl Group {
    pub const ORDER: [Group; 6] = [
        Group::Industry,
        Group::Employment,
        Group::PublicServices,
        Group::Governance,
        Group::Land,
        Group::Party,
    ];

    /// The heading on the index page.
    pub fn title(self) -> &'static str {
        match self {
            Group::Industry => "产业发展（附件1）",
            Group::Employment => "就业创业与培训（附件2）",
            Group::PublicServices => "公共服务（附件3）",
            Group::Governance => "社区治理（附件4）",
            Group::Land => "增减挂钩与旧宅基地（附件5）",
            Group::Party => "党的建设（附件6）",
        }
    }
}

/// One column: a header and where its value is in a row.
#[derive(Debug)]
pub struct Column {
    pub header: &'static str,
    /// A dotted path into the row, e.g. `household.site.name`; a list on the way is joined.
    pub path: &'static str,
    pub format: Format,
}

/// How a value is shown (the same in the page and the spreadsheet).
#[derive(Debug, Clone, Copy)]
pub enum Format {
    /// As it comes; `null` shows as an empty cell.
    Text,
    /// A whole number.
    Integer,
    /// A `NaiveDate`, shown as it comes (`2026-11-28`).
    Date,
    /// A `DateTime`, shown to the minute in China Standard Time.
    DateTime,
    /// An exact decimal amount of yuan sent as a string (`2200.00`), shown with ¥.
    Yuan,
    /// An exact area in mu sent as a string, shown with 亩.
    Mu,
    /// Whole fen (分) sent as an integer, shown as yuan with two decimals (`¥1500.00`).
    Fen,
    /// Whole ten-thousandths of a mu sent as an integer, shown as mu with four decimals.
    TenThousandthMu,
    /// A percentage sent as a number or string, shown with %.
    Percent,
    /// Whole basis points (万分之一) sent as an integer, shown as a percentage with two
    /// decimals: 3600 → `36.00%`.
    BasisPoints,
    /// `true`/`false` as 是/否.
    YesNo,
    /// An enum value shown by its Chinese label; unknown values as they come.
    Choice(&'static [(&'static str, &'static str)]),
}

/// A filter above the list: a form control bound to one query variable.
#[derive(Debug)]
pub struct Filter {
    /// The variable, dotted for a field of an input object (`filter.townId`).
    pub variable: &'static str,
    pub label: &'static str,
    pub input: Input,
}

/// A form that runs one mutation with `$input`.
#[derive(Debug)]
pub struct Form {
    /// Stable, for tests and element ids (`form-{key}`).
    pub key: &'static str,
    /// The button that opens it and the form's heading, e.g. 新增岗位.
    pub title: &'static str,
    /// `mutation ($input: XInput!) { x(input: $input) { id } }`.
    pub mutation: &'static str,
    /// The GraphQL input type of `$input`, checked against the schema by the contract test.
    pub input_type: &'static str,
    /// The data domain a user must be able to change for the form to be offered.
    pub write_domain: &'static str,
    pub fields: &'static [Field],
}

/// A form on each row, offered when the row matches `when`.
#[derive(Debug)]
pub struct RowAction {
    pub form: Form,
    /// Offered only on rows where the value at the path equals one of the values (`true` and
    /// `false` for booleans, digits for numbers).
    pub when: Option<(&'static str, &'static [&'static str])>,
}

/// One field of a form: an input-object field of the mutation's `$input`.
#[derive(Debug)]
pub struct Field {
    /// The input field, dotted for a nested input object.
    pub name: &'static str,
    pub label: &'static str,
    pub input: Input,
    /// Whether the form refuses to send without it (the server checks again).
    pub required: bool,
    /// A short hint under the control (units, format, the rule that applies).
    pub hint: &'static str,
}

impl Field {
    /// A field the form refuses to send empty.
    pub const fn required(name: &'static str, label: &'static str, input: Input) -> Self {
        Self {
            name,
            label,
            input,
            required: true,
            hint: "",
        }
    }

    /// A field that may stay empty (it is then left out of the input).
    pub const fn optional(name: &'static str, label: &'static str, input: Input) -> Self {
        Self {
            name,
            label,
            input,
            required: false,
            hint: "",
        }
    }

    /// A hidden field taken from the row's value of the same name (`id`, `version`).
    pub const fn from_row(name: &'static str) -> Self {
        Self::required(name, "", Input::FromRow(name))
    }

    /// The same field with a hint under its control.
    pub const fn hint(self, hint: &'static str) -> Self {
        Self { hint, ..self }
    }
}

/// The control of a field or filter, and how its text becomes a JSON value.
#[derive(Debug, Clone, Copy)]
pub enum Input {
    /// One line of text, sent as a string.
    Text,
    /// Several lines of text.
    LongText,
    /// A whole number, sent as a number.
    Integer,
    /// An exact decimal (yuan, mu, percent), sent as a string as typed.
    Decimal,
    /// Yuan typed with at most two decimals, sent as whole fen (an integer): `1500.5` → 150050.
    Fen,
    /// Mu typed with at most four decimals, sent as whole ten-thousandths of a mu: `1.5` → 15000.
    TenThousandthMu,
    /// A date picker, sent as `YYYY-MM-DD`.
    Date,
    /// A month, sent as `YYYY-MM`.
    Month,
    /// A year, sent as a number.
    Year,
    /// A checkbox, sent as `true`/`false`.
    Checkbox,
    /// A choice among fixed values (enum values with their labels).
    Choice(&'static [(&'static str, &'static str)]),
    /// A choice among records loaded from the server (sites, towns, industries, …).
    Lookup(&'static Lookup),
    /// A record found by typing the start of its name or code: for lists too long to choose
    /// from (households, persons). The lookup's query declares `$search: String` and is run
    /// with what was typed.
    Search(&'static Lookup),
    /// One item of a list in the row the action is on (a due of a linkage, a push of a
    /// household): a choice among the items at `list`, labelled by `label`, sending the
    /// item's `id`. Row actions only.
    RowItem {
        list: &'static str,
        label: &'static str,
    },
    /// Not shown: taken from the item picked by the form's [`Input::RowItem`] field, e.g.
    /// its `version`.
    FromItem(&'static str),
    /// Not shown: taken from the row the action is on (row actions only), e.g. `id` or
    /// `version`. The path is into the row.
    FromRow(&'static str),
}

/// Where a [`Input::Lookup`] finds its options.
#[derive(Debug)]
pub struct Lookup {
    /// A query without variables.
    pub query: &'static str,
    pub root: &'static str,
    pub shape: Shape,
    /// The path of the value sent (usually `id`).
    pub value: &'static str,
    /// The path of the label shown.
    pub label: &'static str,
}

/// Every ledger with the given key, if any.
pub fn find(key: &str) -> Option<&'static Ledger> {
    all().find(|ledger| ledger.key == key)
}

impl Ledger {
    /// The rows of one answer's `data` (the nodes of a connection, or the list).
    pub fn rows<'a>(&self, data: &'a serde_json::Value) -> &'a [serde_json::Value] {
        let root = value_at(data, self.root);
        let list = match self.shape {
            Shape::Connection => root.and_then(|root| root.get("nodes")),
            Shape::List => root,
        };
        list.and_then(serde_json::Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The cursor to continue after, when a connection says there is more.
    pub fn next_cursor<'a>(&self, data: &'a serde_json::Value) -> Option<&'a str> {
        if self.shape != Shape::Connection {
            return None;
        }
        let page_info = value_at(data, self.root)?.get("pageInfo")?;
        if page_info.get("hasNextPage")?.as_bool()? {
            page_info.get("endCursor")?.as_str()
        } else {
            None
        }
    }

    /// The connection's total, when the query asks for it.
    pub fn total_count(&self, data: &serde_json::Value) -> Option<i64> {
        value_at(data, self.root)?.get("totalCount")?.as_i64()
    }
}

/// The data domains of the policy, as the ledgers name them.
pub mod domain {
    pub const EMPLOYMENT: &str = "employment";
    pub const TRAINING: &str = "training";
    pub const INDUSTRY: &str = "industry";
    pub const PUBLIC_SERVICES: &str = "public_services";
    pub const EDUCATION: &str = "education";
    pub const HEALTH: &str = "health";
    pub const INSURANCE: &str = "insurance";
    pub const SOCIAL_ASSISTANCE: &str = "social_assistance";
    pub const HOUSEHOLD_REGISTRATION: &str = "household_registration";
    pub const GOVERNANCE: &str = "governance";
    pub const LAND: &str = "land";
    pub const FINANCE: &str = "finance";
    pub const PARTY: &str = "party";
    pub const IDENTITY: &str = "identity";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_url_safe() {
        let mut keys: Vec<&str> = all().map(|ledger| ledger.key).collect();
        assert!(keys
            .iter()
            .all(|key| key.chars().all(|c| c.is_ascii_lowercase() || c == '-')));
        keys.sort_unstable();
        let count = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), count, "duplicate ledger keys");
    }

    #[test]
    fn connection_queries_declare_paging_and_filters_are_declared() {
        for ledger in all() {
            if ledger.shape == Shape::Connection {
                assert!(ledger.query.contains("$first"), "{}", ledger.key);
                assert!(ledger.query.contains("$after"), "{}", ledger.key);
                assert!(ledger.query.contains("endCursor"), "{}", ledger.key);
            }
            for filter in ledger.filters {
                let variable = filter.variable.split('.').next().unwrap_or_default();
                assert!(
                    ledger.query.contains(&format!("${variable}")),
                    "{}: filter {} is not a variable of the query",
                    ledger.key,
                    filter.variable
                );
            }
            let forms = ledger
                .forms
                .iter()
                .chain(ledger.row_actions.iter().map(|action| &action.form));
            for form in forms {
                assert!(form.mutation.contains("$input"), "{}", form.key);
                assert!(form.mutation.contains(form.input_type), "{}", form.key);
            }
        }
    }

    #[test]
    fn search_lookups_take_the_typed_text_and_list_lookups_take_nothing() {
        for ledger in all() {
            let fields = ledger
                .forms
                .iter()
                .chain(ledger.row_actions.iter().map(|action| &action.form))
                .flat_map(|form| form.fields.iter().map(|field| field.input));
            let inputs = fields.chain(ledger.filters.iter().map(|filter| filter.input));
            for input in inputs {
                match input {
                    Input::Search(lookup) => {
                        assert!(lookup.query.contains("$search"), "{}", lookup.query);
                    }
                    Input::Lookup(lookup) => {
                        assert!(!lookup.query.contains('$'), "{}", lookup.query)
                    }
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn page_forms_take_nothing_from_a_row() {
        for ledger in all() {
            for form in ledger.forms {
                assert!(
                    form.fields.iter().all(|field| !matches!(
                        field.input,
                        Input::FromRow(_) | Input::FromItem(_) | Input::RowItem { .. }
                    )),
                    "{}",
                    form.key
                );
            }
        }
    }
}
