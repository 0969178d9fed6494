//! How the model's text-coded types are read from the database (server side only).

/// `sqlx` reads a value stored as text through its type's `parse` (server side only): a text
/// that does not parse is a decode error, never a value.
macro_rules! decoded_from_text {
    ($name:ident) => {
        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            str: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <str as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <str as sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(value: DB::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&'r str as sqlx::Decode<'r, DB>>::decode(value)?;
                $name::parse(text).ok_or_else(|| {
                    format!(concat!("not a ", stringify!($name), ": {:?}"), text).into()
                })
            }
        }
    };
}
pub(crate) use decoded_from_text;
