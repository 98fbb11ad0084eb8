//! An address found by its CEP.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CepAddress {
    /// 8 digits.
    pub cep: String,
    pub street: String,
    pub district: String,
    pub city: String,
    pub uf: String,
}

read_as_map!(CepAddress {
    cep,
    street,
    district,
    city,
    uf,
});

impl CepAddress {
    /// One line for the registration form's "Endereço": street, district, city/UF.
    pub fn one_line(&self) -> String {
        [self.street.as_str(), self.district.as_str()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .chain(std::iter::once(
                format!("{}/{}", self.city, self.uf).as_str(),
            ))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_skips_empty_parts() {
        let mut address = CepAddress {
            cep: "70040020".into(),
            street: "SIG Quadra 6".into(),
            district: "Zona Industrial".into(),
            city: "Brasília".into(),
            uf: "DF".into(),
        };
        assert_eq!(
            address.one_line(),
            "SIG Quadra 6, Zona Industrial, Brasília/DF"
        );
        address.street.clear();
        address.district.clear();
        assert_eq!(address.one_line(), "Brasília/DF");
    }
}
