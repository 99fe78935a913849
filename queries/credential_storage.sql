-- name: credential_storage
-- description: Stored credentials by hashing scheme, with those that are plaintext, weakly hashed or unsalted, and temporary passwords that do not force a change at the next login (PCI DSS 8.3.2, 8.3.5).
-- tables: credentials
-- state: current
-- note: strong_algorithms lists the adaptive, salted schemes the entity accepts; "strong cryptography" is ultimately the assessor's call.
-- param: strong_algorithms text = 'argon2id,argon2i,bcrypt,scrypt,yescrypt,pbkdf2-sha256,pbkdf2-sha512'
-- column: hash_algorithm text
-- column: is_salted boolean
-- column: credentials integer
-- column: weak integer
-- column: temporary integer
-- column: temporary_without_change integer
SELECT
    LOWER(hash_algorithm) AS hash_algorithm,
    is_salted,
    COUNT(*) AS credentials,
    COUNT(*) FILTER (
        WHERE POSITION(',' || LOWER(hash_algorithm) || ',' IN ',' || :strong_algorithms || ',') = 0
           OR NOT is_salted
    ) AS weak,
    COUNT(*) FILTER (WHERE is_temporary) AS temporary,
    COUNT(*) FILTER (WHERE is_temporary AND NOT must_change) AS temporary_without_change
FROM credentials
GROUP BY LOWER(hash_algorithm), is_salted
ORDER BY weak DESC, hash_algorithm, is_salted
