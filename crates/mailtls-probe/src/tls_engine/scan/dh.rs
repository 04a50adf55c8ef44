//! Well-known finite-field Diffie-Hellman primes: a server using one shares
//! its prime with many others, which is what makes Logjam's precomputation
//! pay off for 1024-bit groups.
//!
//! ```text
//! RFC 2409 §6.1/§6.2, RFC 3526 §2-§5 (MODP groups):
//!   p = 2^n - 2^(n-64) - 1 + 2^64 * ( [2^(n-130) pi] + k )
//!   n = 768 k = 149686; n = 1024 k = 129093; n = 1536 k = 741804;
//!   n = 2048 k = 124476; n = 3072 k = 1690314; n = 4096 k = 240904
//! RFC 7919 Appendix A (ffdhe groups):
//!   p = 2^b - 2^(b-64) + ( [2^(b-130) e] + X ) * 2^64 - 1
//!   b = 2048 X = 560316; b = 3072 X = 2625351; b = 4096 X = 5736041
//! ```
//!
//! The constants are the primes in lowercase hexadecimal, as the formulas
//! above give them.

/// The well-known primes: name and lowercase hex of `p`.
pub static WELL_KNOWN_PRIMES: &[(&str, &str)] = &[
    (
        "RFC 2409 group 1 (Oakley, 768-bit MODP)",
        concat!(
            "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74",
            "020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437",
            "4fe1356d6d51c245e485b576625e7ec6f44c42e9a63a3620ffffffffffffffff",
        ),
    ),
    (
        "RFC 2409 group 2 (Oakley, 1024-bit MODP)",
        concat!(
            "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74",
            "020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437",
            "4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed",
            "ee386bfb5a899fa5ae9f24117c4b1fe649286651ece65381ffffffffffffffff",
        ),
    ),
    (
        "RFC 3526 group 5 (1536-bit MODP)",
        concat!(
            "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74",
            "020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437",
            "4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed",
            "ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05",
            "98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb",
            "9ed529077096966d670c354e4abc9804f1746c08ca237327ffffffffffffffff",
        ),
    ),
    (
        "RFC 3526 group 14 (2048-bit MODP)",
        concat!(
            "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74",
            "020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437",
            "4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed",
            "ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05",
            "98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb",
            "9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b",
            "e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718",
            "3995497cea956ae515d2261898fa051015728e5a8aacaa68ffffffffffffffff",
        ),
    ),
    (
        "RFC 3526 group 15 (3072-bit MODP)",
        concat!(
            "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74",
            "020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437",
            "4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed",
            "ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05",
            "98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb",
            "9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b",
            "e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718",
            "3995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33",
            "a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7",
            "abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864",
            "d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e2",
            "08e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff",
        ),
    ),
    (
        "RFC 3526 group 16 (4096-bit MODP)",
        concat!(
            "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74",
            "020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437",
            "4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed",
            "ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05",
            "98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb",
            "9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b",
            "e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718",
            "3995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33",
            "a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7",
            "abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864",
            "d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e2",
            "08e24fa074e5ab3143db5bfce0fd108e4b82d120a92108011a723c12a787e6d7",
            "88719a10bdba5b2699c327186af4e23c1a946834b6150bda2583e9ca2ad44ce8",
            "dbbbc2db04de8ef92e8efc141fbecaa6287c59474e6bc05d99b2964fa090c3a2",
            "233ba186515be7ed1f612970cee2d7afb81bdd762170481cd0069127d5b05aa9",
            "93b4ea988d8fddc186ffb7dc90a6c08f4df435c934063199ffffffffffffffff",
        ),
    ),
    (
        "RFC 7919 ffdhe2048",
        concat!(
            "ffffffffffffffffadf85458a2bb4a9aafdc5620273d3cf1d8b9c583ce2d3695",
            "a9e13641146433fbcc939dce249b3ef97d2fe363630c75d8f681b202aec4617a",
            "d3df1ed5d5fd65612433f51f5f066ed0856365553ded1af3b557135e7f57c935",
            "984f0c70e0e68b77e2a689daf3efe8721df158a136ade73530acca4f483a797a",
            "bc0ab182b324fb61d108a94bb2c8e3fbb96adab760d7f4681d4f42a3de394df4",
            "ae56ede76372bb190b07a7c8ee0a6d709e02fce1cdf7e2ecc03404cd28342f61",
            "9172fe9ce98583ff8e4f1232eef28183c3fe3b1b4c6fad733bb5fcbc2ec22005",
            "c58ef1837d1683b2c6f34a26c1b2effa886b423861285c97ffffffffffffffff",
        ),
    ),
    (
        "RFC 7919 ffdhe3072",
        concat!(
            "ffffffffffffffffadf85458a2bb4a9aafdc5620273d3cf1d8b9c583ce2d3695",
            "a9e13641146433fbcc939dce249b3ef97d2fe363630c75d8f681b202aec4617a",
            "d3df1ed5d5fd65612433f51f5f066ed0856365553ded1af3b557135e7f57c935",
            "984f0c70e0e68b77e2a689daf3efe8721df158a136ade73530acca4f483a797a",
            "bc0ab182b324fb61d108a94bb2c8e3fbb96adab760d7f4681d4f42a3de394df4",
            "ae56ede76372bb190b07a7c8ee0a6d709e02fce1cdf7e2ecc03404cd28342f61",
            "9172fe9ce98583ff8e4f1232eef28183c3fe3b1b4c6fad733bb5fcbc2ec22005",
            "c58ef1837d1683b2c6f34a26c1b2effa886b4238611fcfdcde355b3b6519035b",
            "bc34f4def99c023861b46fc9d6e6c9077ad91d2691f7f7ee598cb0fac186d91c",
            "aefe130985139270b4130c93bc437944f4fd4452e2d74dd364f2e21e71f54bff",
            "5cae82ab9c9df69ee86d2bc522363a0dabc521979b0deada1dbf9a42d5c4484e",
            "0abcd06bfa53ddef3c1b20ee3fd59d7c25e41d2b66c62e37ffffffffffffffff",
        ),
    ),
    (
        "RFC 7919 ffdhe4096",
        concat!(
            "ffffffffffffffffadf85458a2bb4a9aafdc5620273d3cf1d8b9c583ce2d3695",
            "a9e13641146433fbcc939dce249b3ef97d2fe363630c75d8f681b202aec4617a",
            "d3df1ed5d5fd65612433f51f5f066ed0856365553ded1af3b557135e7f57c935",
            "984f0c70e0e68b77e2a689daf3efe8721df158a136ade73530acca4f483a797a",
            "bc0ab182b324fb61d108a94bb2c8e3fbb96adab760d7f4681d4f42a3de394df4",
            "ae56ede76372bb190b07a7c8ee0a6d709e02fce1cdf7e2ecc03404cd28342f61",
            "9172fe9ce98583ff8e4f1232eef28183c3fe3b1b4c6fad733bb5fcbc2ec22005",
            "c58ef1837d1683b2c6f34a26c1b2effa886b4238611fcfdcde355b3b6519035b",
            "bc34f4def99c023861b46fc9d6e6c9077ad91d2691f7f7ee598cb0fac186d91c",
            "aefe130985139270b4130c93bc437944f4fd4452e2d74dd364f2e21e71f54bff",
            "5cae82ab9c9df69ee86d2bc522363a0dabc521979b0deada1dbf9a42d5c4484e",
            "0abcd06bfa53ddef3c1b20ee3fd59d7c25e41d2b669e1ef16e6f52c3164df4fb",
            "7930e9e4e58857b6ac7d5f42d69f6d187763cf1d5503400487f55ba57e31cc7a",
            "7135c886efb4318aed6a1e012d9e6832a907600a918130c46dc778f971ad0038",
            "092999a333cb8b7a1a1db93d7140003c2a4ecea9f98d0acc0a8291cdcec97dcf",
            "8ec9b55a7f88a46b4db5a851f44182e1c68a007e5e655f6affffffffffffffff",
        ),
    ),
];

/// The name of `prime` (big-endian, as in `dh_p`) when it is a well-known one.
pub fn well_known_prime(prime: &[u8]) -> Option<&'static str> {
    let hex: String = prime
        .iter()
        .skip_while(|&&byte| byte == 0)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    WELL_KNOWN_PRIMES
        .iter()
        .find(|&&(_, known)| known == hex)
        .map(|&(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(hex: &str) -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|index| u8::from_str_radix(&hex[index..index + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn every_constant_has_the_bit_length_its_name_says() {
        let lengths: Vec<usize> = WELL_KNOWN_PRIMES.iter().map(|(_, hex)| hex.len() * 4).collect();
        assert_eq!(lengths, vec![768, 1024, 1536, 2048, 3072, 4096, 2048, 3072, 4096]);
        for (_, hex) in WELL_KNOWN_PRIMES {
            assert!(hex.starts_with("ffffffffffffffff") && hex.ends_with("ffffffffffffffff"));
        }
    }

    #[test]
    fn a_prime_with_a_leading_zero_byte_is_still_recognised() {
        let mut prime = vec![0u8];
        prime.extend(bytes(WELL_KNOWN_PRIMES[1].1));
        assert_eq!(
            well_known_prime(&prime),
            Some("RFC 2409 group 2 (Oakley, 1024-bit MODP)")
        );
        assert_eq!(
            well_known_prime(&bytes(WELL_KNOWN_PRIMES[6].1)),
            Some("RFC 7919 ffdhe2048")
        );
    }

    #[test]
    fn an_unknown_prime_has_no_name() {
        let mut prime = bytes(WELL_KNOWN_PRIMES[3].1);
        prime[100] ^= 1;
        assert_eq!(well_known_prime(&prime), None);
    }
}
