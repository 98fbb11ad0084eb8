//! Who the client is, as far as an address tells: the peer of the connection, or — when
//! that peer is one of the configured reverse proxies (`ATENDE_TRUSTED_PROXIES`) — the
//! address the proxies recorded in `X-Forwarded-For`. Budgets (sign-in throttling,
//! CAPTCHA and CEP rate limits) are keyed by it; IPv6 clients by their /64, the
//! smallest network one subscriber usually gets.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::{IpNet, Ipv6Net};

/// The client's address: walking `X-Forwarded-For` from the right (the entry the nearest
/// proxy added) past every trusted proxy, the first address that is not one. With an
/// untrusted peer the header is ignored: anybody can send it.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|part| part.trim().parse::<IpAddr>().ok())
        .collect();
    let mut client = peer;
    for ip in forwarded.into_iter().rev() {
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// The budget key of a client address: IPv4 as it is, IPv6 by its /64 network (an
/// IPv4-mapped IPv6 address counts as the IPv4 one).
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => Ipv6Net::new(v6, 64)
                .map(|net| net.trunc().to_string())
                .unwrap_or_else(|_| v6.to_string()),
        },
    }
}

/// The budget key of the client of the request being handled (inside Leptos: server
/// functions and rendering).
pub async fn current_key(trusted: &[IpNet]) -> String {
    let peer = leptos_axum::extract::<axum::extract::ConnectInfo<SocketAddr>>()
        .await
        .map(|axum::extract::ConnectInfo(addr)| addr.ip());
    let headers = leptos::prelude::use_context::<axum::http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default();
    match peer {
        Ok(peer) => address_key(client_ip(peer, &headers, trusted)),
        Err(_) => "unknown".to_owned(),
    }
}

/// The address of the client of the request being handled, in full (for the audit
/// trail), or "unknown".
pub async fn current_address(trusted: &[IpNet]) -> String {
    let peer = leptos_axum::extract::<axum::extract::ConnectInfo<SocketAddr>>()
        .await
        .map(|axum::extract::ConnectInfo(addr)| addr.ip());
    let headers = leptos::prelude::use_context::<axum::http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default();
    match peer {
        Ok(peer) => {
            let ip = client_ip(peer, &headers, trusted);
            match ip {
                IpAddr::V6(v6) => v6
                    .to_ipv4_mapped()
                    .map_or_else(|| v6.to_string(), |v4| v4.to_string()),
                IpAddr::V4(v4) => v4.to_string(),
            }
        }
        Err(_) => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn xff(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static(value));
        headers
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().filter_map(|n| n.parse().ok()).collect()
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_peer() {
        let trusted = nets(&["127.0.0.1/32", "10.0.0.0/8"]);
        let headers = xff("203.0.113.7");
        // From the proxy: the forwarded address.
        assert_eq!(
            client_ip(ip("127.0.0.1"), &headers, &trusted),
            ip("203.0.113.7")
        );
        // From anybody else: the peer, whatever the header says.
        assert_eq!(
            client_ip(ip("198.51.100.1"), &headers, &trusted),
            ip("198.51.100.1")
        );
        // No proxies configured: never the header.
        assert_eq!(client_ip(ip("127.0.0.1"), &headers, &[]), ip("127.0.0.1"));
    }

    #[test]
    fn a_forged_left_part_is_ignored_past_the_proxy_chain() {
        let trusted = nets(&["127.0.0.1/32", "10.0.0.0/8"]);
        // The client forged "1.2.3.4"; the outer proxy 10.0.0.2 appended the real one.
        let headers = xff("1.2.3.4, 203.0.113.7, 10.0.0.2");
        assert_eq!(
            client_ip(ip("127.0.0.1"), &headers, &trusted),
            ip("203.0.113.7")
        );
        // Garbage and an empty header fall back to the peer.
        assert_eq!(
            client_ip(ip("127.0.0.1"), &xff("not an address"), &trusted),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn ipv6_clients_share_a_budget_per_64() {
        assert_eq!(
            address_key(ip("2001:db8:1:2:aaaa::1")),
            address_key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            address_key(ip("2001:db8:1:2::1")),
            address_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(address_key(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(address_key(ip("::ffff:192.0.2.1")), "192.0.2.1");
        assert_eq!(address_key(ip("192.0.2.1")), "192.0.2.1");
    }
}
