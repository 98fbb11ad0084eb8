//! Brazilian identifiers and places: CPF, CNPJ (numeric and, from July 2026,
//! alphanumeric), the 27 federative units, and accent-insensitive search keys.

use super::fields::Problem;

/// The 27 units (UF) with their names, in the order the select shows them.
pub const UFS: [(&str, &str); 27] = [
    ("AC", "Acre"),
    ("AL", "Alagoas"),
    ("AP", "Amapá"),
    ("AM", "Amazonas"),
    ("BA", "Bahia"),
    ("CE", "Ceará"),
    ("DF", "Distrito Federal"),
    ("ES", "Espírito Santo"),
    ("GO", "Goiás"),
    ("MA", "Maranhão"),
    ("MT", "Mato Grosso"),
    ("MS", "Mato Grosso do Sul"),
    ("MG", "Minas Gerais"),
    ("PA", "Pará"),
    ("PB", "Paraíba"),
    ("PR", "Paraná"),
    ("PE", "Pernambuco"),
    ("PI", "Piauí"),
    ("RJ", "Rio de Janeiro"),
    ("RN", "Rio Grande do Norte"),
    ("RS", "Rio Grande do Sul"),
    ("RO", "Rondônia"),
    ("RR", "Roraima"),
    ("SC", "Santa Catarina"),
    ("SP", "São Paulo"),
    ("SE", "Sergipe"),
    ("TO", "Tocantins"),
];

pub fn uf(value: &str) -> Result<String, Problem> {
    let value = value.trim().to_ascii_uppercase();
    if value.is_empty() {
        return Err(Problem::Required);
    }
    UFS.iter()
        .find(|(code, _)| *code == value)
        .map(|(code, _)| (*code).to_owned())
        .ok_or(Problem::InvalidUf)
}

/// Characters of an identifier typed with its usual mask (`.`, `-`, `/`, spaces).
fn unmasked(value: &str) -> Option<String> {
    let mut out = String::new();
    for c in value.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !matches!(c, '.' | '-' | '/' | ' ') {
            return None;
        }
    }
    Some(out)
}

fn all_same(digits: &[u32]) -> bool {
    digits.windows(2).all(|w| w[0] == w[1])
}

/// A CPF: 11 digits with valid check digits; masks like 123.456.789-09 accepted.
pub fn cpf(value: &str) -> Result<String, Problem> {
    if value.trim().is_empty() {
        return Err(Problem::Required);
    }
    let raw = unmasked(value).ok_or(Problem::InvalidCpf)?;
    let digits: Vec<u32> = raw.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 11 || raw.len() != 11 || all_same(&digits) {
        return Err(Problem::InvalidCpf);
    }
    let check = |len: usize| {
        let sum: u32 = (0..len)
            .map(|i| digits[i] * (len as u32 + 1 - i as u32))
            .sum();
        (sum * 10 % 11) % 10
    };
    if check(9) == digits[9] && check(10) == digits[10] {
        Ok(raw)
    } else {
        Err(Problem::InvalidCpf)
    }
}

/// A CNPJ: 14 characters, the first 12 digits or (since July 2026) uppercase letters,
/// the last two check digits computed with weights 2–9 over values `ascii − 48`.
pub fn cnpj(value: &str) -> Result<String, Problem> {
    if value.trim().is_empty() {
        return Err(Problem::Required);
    }
    let raw = unmasked(value).ok_or(Problem::InvalidCnpj)?;
    let chars: Vec<char> = raw.chars().collect();
    if chars.len() != 14 || !chars[12..].iter().all(char::is_ascii_digit) {
        return Err(Problem::InvalidCnpj);
    }
    let values: Vec<u32> = chars.iter().map(|&c| c as u32 - '0' as u32).collect();
    if all_same(&values) {
        return Err(Problem::InvalidCnpj);
    }
    let check = |len: usize| {
        let sum: u32 = (0..len)
            .map(|i| values[len - 1 - i] * (2 + (i as u32 % 8)))
            .sum();
        match sum % 11 {
            0 | 1 => 0,
            r => 11 - r,
        }
    };
    if check(12) == values[12] && check(13) == values[13] {
        Ok(raw)
    } else {
        Err(Problem::InvalidCnpj)
    }
}

pub fn format_cpf(raw: &str) -> String {
    if raw.len() == 11 && raw.is_ascii() {
        format!("{}.{}.{}-{}", &raw[..3], &raw[3..6], &raw[6..9], &raw[9..])
    } else {
        raw.to_owned()
    }
}

pub fn format_cnpj(raw: &str) -> String {
    if raw.len() == 14 && raw.is_ascii() {
        format!(
            "{}.{}.{}/{}-{}",
            &raw[..2],
            &raw[2..5],
            &raw[5..8],
            &raw[8..12],
            &raw[12..]
        )
    } else {
        raw.to_owned()
    }
}

/// Lower case without diacritics: "Correção" and "correcao" give the same key.
pub fn search_key(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpf_check_digits() {
        assert_eq!(cpf("529.982.247-25"), Ok("52998224725".into()));
        assert_eq!(cpf("52998224725"), Ok("52998224725".into()));
        for bad in [
            "529.982.247-24",
            "111.111.111-11",
            "5299822472",
            "529982247255",
            "52998224a25",
            "529_982_247_25",
        ] {
            assert_eq!(cpf(bad), Err(Problem::InvalidCpf), "{bad}");
        }
        assert_eq!(cpf(" "), Err(Problem::Required));
        assert_eq!(format_cpf("52998224725"), "529.982.247-25");
    }

    #[test]
    fn cnpj_check_digits_numeric_and_alphanumeric() {
        assert_eq!(cnpj("11.222.333/0001-81"), Ok("11222333000181".into()));
        assert_eq!(cnpj("04.196.645/0001-00"), Ok("04196645000100".into()));
        // The example the Receita Federal published for alphanumeric CNPJs.
        assert_eq!(cnpj("12.ABC.345/01DE-35"), Ok("12ABC34501DE35".into()));
        assert_eq!(cnpj("12.abc.345/01de-35"), Ok("12ABC34501DE35".into()));
        for bad in [
            "11.222.333/0001-82",
            "00.000.000/0000-00",
            "1122233300018",
            "12.ABC.345/01DE-3A",
            "52998224725",
        ] {
            assert_eq!(cnpj(bad), Err(Problem::InvalidCnpj), "{bad}");
        }
        assert_eq!(format_cnpj("11222333000181"), "11.222.333/0001-81");
    }

    #[test]
    fn the_27_units() {
        assert_eq!(UFS.len(), 27);
        assert_eq!(uf(" df "), Ok("DF".into()));
        assert_eq!(uf("XX"), Err(Problem::InvalidUf));
        assert_eq!(uf(""), Err(Problem::Required));
    }

    #[test]
    fn search_keys_ignore_accents_and_case() {
        assert_eq!(search_key("Correção de Faturas"), "correcao de faturas");
        assert_eq!(search_key("PUBLICAÇÃO"), "publicacao");
        assert_eq!(search_key("correcao"), search_key("CORREÇÃO"));
    }
}
