//! One small interface for "a transaction that runs SQL with parameters", over rusqlite and the
//! synchronous `postgres` crate, so the store's queries are written once.
//!
//! SQL is written in the subset both engines read: `?N` placeholders (rewritten to `$N` for
//! PostgreSQL), `ON CONFLICT ... DO UPDATE/NOTHING`, `IS NOT DISTINCT FROM`, `RETURNING id`,
//! `"end"` quoted. Columns have the same types in both: BIGINT integers (0/1 for booleans), TEXT,
//! DOUBLE PRECISION. Values travel as `Val`; rows are read through `Row::get`.

use super::{Result, StoreError};

/// A parameter value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

macro_rules! val_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Val {
            fn from(v: $t) -> Val {
                Val::Int(i64::from(v))
            }
        }
    )*};
}
val_from_int!(i64, i32, u32, u16, u8, bool);

impl From<usize> for Val {
    fn from(v: usize) -> Val {
        Val::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::Real(v)
    }
}

impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(v.to_string())
    }
}

impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(v)
    }
}

impl From<&String> for Val {
    fn from(v: &String) -> Val {
        Val::Text(v.clone())
    }
}

impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Val {
        v.map_or(Val::Null, Into::into)
    }
}

impl<T: Clone + Into<Val>> From<&Option<T>> for Val {
    fn from(v: &Option<T>) -> Val {
        v.clone().map_or(Val::Null, Into::into)
    }
}

/// `args![a, b, ...]`: parameters as an array of `Val` (`&args![..]` is a `&[Val]`).
macro_rules! args {
    ($($x:expr),+ $(,)?) => { [$($crate::store::sql::Val::from($x)),+] };
}
pub(crate) use args;

impl rusqlite::ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Val::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Val::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Val::Real(f) => ToSqlOutput::Borrowed(ValueRef::Real(*f)),
            Val::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

impl postgres::types::ToSql for Val {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::Type;
        match self {
            Val::Null => Ok(postgres::types::IsNull::Yes),
            Val::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                _ => i.to_string().to_sql(ty, out),
            },
            Val::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                Type::FLOAT8 => f.to_sql(ty, out),
                _ => f.to_string().to_sql(ty, out),
            },
            Val::Text(s) => match *ty {
                Type::INT8 => s.parse::<i64>()?.to_sql(ty, out),
                _ => s.as_str().to_sql(ty, out),
            },
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// A row of either engine.
pub(crate) enum Row<'a> {
    Lite(&'a rusqlite::Row<'a>),
    Pg(&'a postgres::Row),
}

impl Row<'_> {
    /// Column `i` as `T` (integers, floats, text, booleans stored as 0/1, and their `Option`s).
    pub(crate) fn get<T: Col>(&self, i: usize) -> Result<T> {
        match self {
            Row::Lite(r) => Ok(r.get::<_, T>(i)?),
            Row::Pg(r) => T::from_val(pg_val(r, i)?),
        }
    }

    /// Column `i` as a `Val`, whatever its type (the table copy).
    pub(crate) fn val(&self, i: usize) -> Result<Val> {
        match self {
            Row::Lite(r) => Ok(match r.get_ref(i)? {
                rusqlite::types::ValueRef::Null => Val::Null,
                rusqlite::types::ValueRef::Integer(i) => Val::Int(i),
                rusqlite::types::ValueRef::Real(f) => Val::Real(f),
                rusqlite::types::ValueRef::Text(t) => Val::Text(String::from_utf8_lossy(t).into_owned()),
                rusqlite::types::ValueRef::Blob(_) => return Err(StoreError::Corrupt("a blob in a table".into())),
            }),
            Row::Pg(r) => pg_val(r, i),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Row::Lite(r) => r.as_ref().column_count(),
            Row::Pg(r) => r.len(),
        }
    }
}

fn pg_val(r: &postgres::Row, i: usize) -> Result<Val> {
    use postgres::types::Type;
    let ty =
        r.columns().get(i).map(|c| c.type_().clone()).ok_or_else(|| StoreError::Corrupt(format!("no column {i}")))?;
    Ok(match ty {
        Type::INT8 => r.try_get::<_, Option<i64>>(i)?.map_or(Val::Null, Val::Int),
        Type::INT4 => r.try_get::<_, Option<i32>>(i)?.map_or(Val::Null, |v| Val::Int(v.into())),
        Type::INT2 => r.try_get::<_, Option<i16>>(i)?.map_or(Val::Null, |v| Val::Int(v.into())),
        Type::BOOL => r.try_get::<_, Option<bool>>(i)?.map_or(Val::Null, |v| Val::Int(v.into())),
        Type::FLOAT8 => r.try_get::<_, Option<f64>>(i)?.map_or(Val::Null, Val::Real),
        Type::FLOAT4 => r.try_get::<_, Option<f32>>(i)?.map_or(Val::Null, |v| Val::Real(v.into())),
        _ => r.try_get::<_, Option<String>>(i)?.map_or(Val::Null, Val::Text),
    })
}

/// A column type both engines can give.
pub(crate) trait Col: rusqlite::types::FromSql + Sized {
    fn from_val(v: Val) -> Result<Self>;
}

fn wrong(v: &Val, want: &str) -> StoreError {
    StoreError::Corrupt(format!("a stored value {v:?} is not {want}"))
}

macro_rules! col_int {
    ($($t:ty),*) => {$(
        impl Col for $t {
            fn from_val(v: Val) -> Result<$t> {
                match v {
                    Val::Int(i) => <$t>::try_from(i).map_err(|_| wrong(&v, stringify!($t))),
                    _ => Err(wrong(&v, stringify!($t))),
                }
            }
        }
    )*};
}
col_int!(i64, i32, u32, u16, u8);

impl Col for bool {
    fn from_val(v: Val) -> Result<bool> {
        match v {
            Val::Int(i) => Ok(i != 0),
            _ => Err(wrong(&v, "a boolean")),
        }
    }
}

impl Col for f64 {
    fn from_val(v: Val) -> Result<f64> {
        match v {
            Val::Real(f) => Ok(f),
            Val::Int(i) => Ok(i as f64),
            _ => Err(wrong(&v, "a number")),
        }
    }
}

impl Col for String {
    fn from_val(v: Val) -> Result<String> {
        match v {
            Val::Text(s) => Ok(s),
            _ => Err(wrong(&v, "text")),
        }
    }
}

impl<T: Col> Col for Option<T> {
    fn from_val(v: Val) -> Result<Option<T>> {
        match v {
            Val::Null => Ok(None),
            v => T::from_val(v).map(Some),
        }
    }
}

/// A transaction (or connection) that runs SQL written once for both engines.
pub(crate) trait Sql {
    /// Whether this is PostgreSQL (for the few statements that differ: locks, notifications).
    fn is_pg(&self) -> bool;
    /// Runs a statement; the number of rows it changed.
    fn exec(&mut self, sql: &str, args: &[Val]) -> Result<u64>;
    /// Runs a query and hands each row to `f`.
    fn each(&mut self, sql: &str, args: &[Val], f: &mut dyn FnMut(&Row<'_>) -> Result<()>) -> Result<()>;
}

/// SQLite through rusqlite (a `Connection` or, by deref, a `Transaction`).
pub(crate) struct Lite<'a>(pub &'a rusqlite::Connection);

impl Sql for Lite<'_> {
    fn is_pg(&self) -> bool {
        false
    }

    fn exec(&mut self, sql: &str, args: &[Val]) -> Result<u64> {
        let n = self.0.prepare_cached(sql)?.execute(rusqlite::params_from_iter(args.iter()))?;
        Ok(n as u64)
    }

    fn each(&mut self, sql: &str, args: &[Val], f: &mut dyn FnMut(&Row<'_>) -> Result<()>) -> Result<()> {
        let mut st = self.0.prepare_cached(sql)?;
        let mut rs = st.query(rusqlite::params_from_iter(args.iter()))?;
        while let Some(r) = rs.next()? {
            f(&Row::Lite(r))?;
        }
        Ok(())
    }
}

/// PostgreSQL through the synchronous `postgres` crate, inside a transaction, with the
/// connection's prepared statements (one round trip per statement once prepared).
pub(crate) struct PgTx<'a, 'c> {
    pub tx: &'a mut postgres::Transaction<'c>,
    pub stmts: &'a mut std::collections::HashMap<String, postgres::Statement>,
}

impl PgTx<'_, '_> {
    fn prepare(&mut self, sql: &str) -> Result<postgres::Statement> {
        if let Some(st) = self.stmts.get(sql) {
            return Ok(st.clone());
        }
        let st = self.tx.prepare(&to_pg(sql))?;
        self.stmts.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

impl Sql for PgTx<'_, '_> {
    fn is_pg(&self) -> bool {
        true
    }

    fn exec(&mut self, sql: &str, args: &[Val]) -> Result<u64> {
        let st = self.prepare(sql)?;
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> = args.iter().map(|a| a as _).collect();
        Ok(self.tx.execute(&st, &params)?)
    }

    fn each(&mut self, sql: &str, args: &[Val], f: &mut dyn FnMut(&Row<'_>) -> Result<()>) -> Result<()> {
        let st = self.prepare(sql)?;
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> = args.iter().map(|a| a as _).collect();
        for r in self.tx.query(&st, &params)? {
            f(&Row::Pg(&r))?;
        }
        Ok(())
    }
}

/// Rewrites `?N` placeholders to PostgreSQL's `$N` (outside quoted strings and names).
pub(crate) fn to_pg(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '?' => {
                out.push('$');
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

/// Runs `sql` and maps every row.
pub(crate) fn rows<T>(
    db: &mut dyn Sql,
    sql: &str,
    args: &[Val],
    map: impl Fn(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    db.each(sql, args, &mut |r| {
        out.push(map(r)?);
        Ok(())
    })?;
    Ok(out)
}

/// The first row's mapping, if any.
pub(crate) fn one<T>(
    db: &mut dyn Sql,
    sql: &str,
    args: &[Val],
    map: impl Fn(&Row<'_>) -> Result<T>,
) -> Result<Option<T>> {
    let mut out = None;
    db.each(sql, args, &mut |r| {
        if out.is_none() {
            out = Some(map(r)?);
        }
        Ok(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollars_outside_quotes() {
        assert_eq!(
            to_pg("SELECT a FROM t WHERE b = ?1 AND c = '?2' AND \"?x\" = ?12"),
            "SELECT a FROM t WHERE b = $1 AND c = '?2' AND \"?x\" = $12"
        );
    }
}
