
use builtin;
use str;

set edit:completion:arg-completer[acjwt] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'acjwt'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'acjwt'= {
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand keygen 'Generate a key pair: the private key signs tokens, the public key goes to the platform'
            cand matching 'Assemble and validate matching objects (which profile a token acts for)'
            cand mint 'Sign a token: {"iss", "exp", "rtoken", "matching"} with matching as a JSON string'
            cand decode 'Show a token''s header and claims, matching unpacked and times made human. No key needed, and nothing is verified: use `acjwt verify` for that'
            cand verify 'Verify a token: signature, algorithm, exp/nbf/iat and the Altcraft claims'
            cand header 'Print the Authorization header value the SDK sends, for trying the platform API with curl'
            cand key 'Inspect and convert key files: PEM (SEC1, PKCS#8, PKCS#1, SPKI), DER, JWK and JWKS'
            cand explain 'Explain whether a token will work: every check, in the order a support engineer goes'
            cand serve 'Serve tokens over HTTP: the token service an app under development (or a backend) calls'
            cand completions 'Print a shell completion script, or write all of them to a folder'
            cand man 'Print the acjwt(1) man page, or write every page (one per subcommand) to a folder'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acjwt;keygen'= {
            cand --alg 'Algorithm: ES384 (recommended), ES256, ES512 or RS256'
            cand --bits 'RSA modulus size for RS256'
            cand --out-dir 'Folder for both files, created if missing (default: the current folder)'
            cand --private 'Private key file name (default: private.ec.key, or private.rsa.key for RS256)'
            cand --public 'Public key file name'
            cand --kid 'Key id: auto (the key''s RFC 7638 thumbprint) or a name. Recorded in <private key>.kid, which mint puts in the token header, and in the JWKS'
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --pkcs8 'Write the private key as PKCS#8 ("PRIVATE KEY") instead of SEC1 for EC keys'
            cand --jwks 'Also write the public key as a JWK Set, jwks.json, beside the PEM pair'
            cand --force 'Replace existing files'
            cand --json 'Print a JSON summary on stdout'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acjwt;matching'= {
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand build 'Print a matching object as compact JSON, checked against its mode''s required fields'
            cand modes 'List the matching modes, the fields each needs, and what each matches on'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acjwt;matching;build'= {
            cand --mode 'Matching mode: how the platform finds the profile'
            cand --db-id 'Profile database id (an integer from 1 to 2147483647)'
            cand --email 'Email (modes email, email_profile, email_sub, email_phone, email_phone_sub)'
            cand --phone 'Phone, e.g. +79000000000 (modes phone, phone_sub, email_phone, email_phone_sub)'
            cand --profile-id 'Platform profile id (mode profile_id)'
            cand --provider 'Push provider, e.g. android-firebase, ios-apns (mode push_sub)'
            cand --subscription-id 'Push subscription id: the device token (mode push_sub)'
            cand --field-name 'Custom field name, e.g. CRM_ID (modes custom, custom_sub)'
            cand --field-value 'Custom field value, kept a string (modes custom, custom_sub)'
            cand --field-value-int 'Custom field value as a JSON integer instead of a string'
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acjwt;matching;modes'= {
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acjwt;matching;help'= {
            cand build 'Print a matching object as compact JSON, checked against its mode''s required fields'
            cand modes 'List the matching modes, the fields each needs, and what each matches on'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acjwt;matching;help;build'= {
        }
        &'acjwt;matching;help;modes'= {
        }
        &'acjwt;matching;help;help'= {
        }
        &'acjwt;mint'= {
            cand --iss 'Issuer: your application''s name'
            cand --rtoken 'Role token from the resource''s settings (prefer ACJWT_RTOKEN or --rtoken-file: command lines end up in shell history and process lists)'
            cand --kid 'Key id for the header (default: the kid of a JWK key, or the one keygen --kid recorded in <key>.kid)'
            cand --matching 'The whole matching object as JSON, instead of the matching flags'
            cand --ttl 'Lifetime: 30s, 15m, 1h, 7d'
            cand --exp 'Expiry instead of --ttl: unix seconds, RFC 3339 or relative (+2h)'
            cand --alg 'Expected algorithm; an error if the key is for another one'
            cand --batch 'Mint one token per line of FILE (- reads stdin): each line a matching object as JSON, checked as --matching is. Output keeps the input order'
            cand --batch-format 'With --batch: tokens (one per line, the default) or jsonl ({"line", "token", "matching"} per line)'
            cand -o 'With --batch: write to FILE (mode 0600) instead of stdout; on failure FILE is left as it was, never half-written'
            cand --output 'With --batch: write to FILE (mode 0600) instead of stdout; on failure FILE is left as it was, never half-written'
            cand --threads 'With --batch: worker threads, 1 to 256 (default: one per core)'
            cand --mode 'Matching mode: how the platform finds the profile'
            cand --db-id 'Profile database id (an integer from 1 to 2147483647)'
            cand --email 'Email (modes email, email_profile, email_sub, email_phone, email_phone_sub)'
            cand --phone 'Phone, e.g. +79000000000 (modes phone, phone_sub, email_phone, email_phone_sub)'
            cand --profile-id 'Platform profile id (mode profile_id)'
            cand --provider 'Push provider, e.g. android-firebase, ios-apns (mode push_sub)'
            cand --subscription-id 'Push subscription id: the device token (mode push_sub)'
            cand --field-name 'Custom field name, e.g. CRM_ID (modes custom, custom_sub)'
            cand --field-value 'Custom field value, kept a string (modes custom, custom_sub)'
            cand --field-value-int 'Custom field value as a JSON integer instead of a string'
            cand --key 'Private key file (PEM, DER or JWK; - reads stdin). An encrypted PKCS#8 key is opened with ACJWT_KEY_PASSPHRASE or a passphrase prompt'
            cand --backend 'Signing library: aws-lc (fastest; in the default build) or rustcrypto (pure Rust). Default: the fastest this build has; one ES token is signed with rustcrypto instead when aws-lc was built with CPU-jitter entropy, whose first random draw costs ~25 ms a process'
            cand --rtoken-file 'Read the role token from a file (- reads stdin): one line; a BOM and the final newline are dropped. Cannot be combined with --rtoken; it takes precedence over ACJWT_RTOKEN'
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --json 'Print a JSON document (token, alg, exp, matching) instead of the bare token'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acjwt;decode'= {
            cand --at 'Judge times at this instant instead of now: unix seconds, RFC 3339 or relative (-1h)'
            cand --leeway 'Clock skew to tolerate on exp, nbf and iat'
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --json 'Print {"header", "claims", "matching", "times", "warnings"} as JSON'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acjwt;verify'= {
            cand --batch 'Verify one token per line of FILE (- reads stdin) on every core; one report per line (with --json, one JSON object per line), exit 1 if any token is invalid'
            cand --backend 'Signing library: aws-lc (fastest; in the default build) or rustcrypto (pure Rust). Default: the fastest this build has'
            cand --threads 'With --batch: worker threads, 1 to 256 (default: one per core)'
            cand --key 'Public key (or private key, JWK, or JWKS whose entry the token''s kid chooses) to check the signature with; - reads stdin'
            cand --at 'Judge times at this instant instead of now: unix seconds, RFC 3339 or relative (-1h)'
            cand --leeway 'Clock skew to tolerate on exp, nbf and iat'
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --generic 'Check only what any JWT verifier checks; skip the Altcraft claim rules'
            cand --json 'Print {"valid", "alg", "kid", "claims", "failures", "warnings"} as JSON'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acjwt;header'= {
            cand --rtoken 'A role token instead of a JWT'
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acjwt;key'= {
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand inspect 'Say what a key file is and whether the platform accepts it for JWT auth'
            cand public 'Print the public half of a key: SPKI PEM (what the platform takes), or a JWK/JWKS'
            cand convert 'Write a key in another format'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acjwt;key;inspect'= {
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --json 'Print {"file", "format", "encrypted", "accepted", "keys": [...]} as JSON'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acjwt;key;public'= {
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --jwk 'Print a JWK instead of PEM'
            cand --jwks 'Print a JWKS ({"keys": [...]}) instead of PEM'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acjwt;key;convert'= {
            cand --to 'The format to write'
            cand -o 'Write to this file instead of stdout'
            cand --output 'Write to this file instead of stdout'
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --private 'Keep the private key in a JWK or JWKS (the "d" member)'
            cand --force 'Replace --output if it exists'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acjwt;key;help'= {
            cand inspect 'Say what a key file is and whether the platform accepts it for JWT auth'
            cand public 'Print the public half of a key: SPKI PEM (what the platform takes), or a JWK/JWKS'
            cand convert 'Write a key in another format'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acjwt;key;help;inspect'= {
        }
        &'acjwt;key;help;public'= {
        }
        &'acjwt;key;help;convert'= {
        }
        &'acjwt;key;help;help'= {
        }
        &'acjwt;explain'= {
            cand --key 'Public key (or private key, JWK, or JWKS whose entry the token''s kid chooses) to check the signature with; - reads stdin'
            cand --at 'Judge times at this instant instead of now: unix seconds, RFC 3339 or relative (-1h)'
            cand --leeway 'Clock skew to tolerate on exp, nbf and iat'
            cand --sdk-error 'Instead of a token, list the causes of an SDK auth error code (540-545) and how to check a token for each'
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --json 'Print the report as JSON: {"ok", "summary", "matching_mode", "user_tag", "checks"}, or {"ok", "tokens": [...], "comparison"} for two tokens'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acjwt;serve'= {
            cand --iss 'Issuer: your application''s name'
            cand --rtoken 'Role token from the resource''s settings (prefer ACJWT_RTOKEN or --rtoken-file: command lines end up in shell history and process lists)'
            cand --users 'Named users, TOML: one table per user holding its matching object and an optional ttl, e.g. [alice] matching = "email", db_id = 2, email = "alice@example.com". Reread on SIGHUP'
            cand --listen 'Where to listen: IP:PORT (port 0 takes a free one) or unix:PATH'
            cand --ttl 'Lifetime of tokens when a request names none'
            cand --max-ttl 'The longest ttl a request (or a user) may ask for'
            cand --access-token-file 'File holding the access token API calls must send as Authorization: Bearer (or set ACJWT_ACCESS_TOKEN). Required on an address other than loopback, where without it a token is generated and shown once if stderr is a terminal'
            cand --cors-origin 'Allow this origin to call the API from a browser (CORS); none by default'
            cand --log-format 'Request log format on stderr'
            cand --header-read-timeout 'Close a connection whose request header has not arrived within this time (hyper starts the clock when it waits for a request, so this also closes idle keep-alive connections)'
            cand --idle-timeout 'Close a connection with no traffic at all for this long (in a request as well)'
            cand --request-timeout 'Answer a request (body included) within this time, or 408'
            cand --shutdown-grace 'On SIGINT/SIGTERM, wait this long for in-flight requests'
            cand --max-connections 'Open connections at most; more get a 503'
            cand --backend 'Signing library: aws-lc (fastest; in the default build) or rustcrypto (pure Rust). Default: the fastest this build has'
            cand --key 'Private key file (PEM, DER or JWK), reread on SIGHUP. An encrypted PKCS#8 key needs ACJWT_KEY_PASSPHRASE, since a reload cannot prompt'
            cand --rtoken-file 'Read the role token from a file, reread on SIGHUP: one line; a BOM and the final newline are dropped. Cannot be combined with --rtoken; it takes precedence over ACJWT_RTOKEN'
            cand --kid 'Key id for every token and the JWKS (default: the kid of a JWK key, or the one keygen --kid recorded in <key>.kid, or else the key''s RFC 7638 thumbprint)'
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acjwt;completions'= {
            cand --dir 'Write the scripts for every shell into this folder instead'
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acjwt;man'= {
            cand --dir 'Write acjwt.1 and acjwt-SUBCOMMAND.1 pages into this folder'
            cand --color 'When to use colour: auto (a terminal without NO_COLOR), always or never'
            cand --no-input 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acjwt;help'= {
            cand keygen 'Generate a key pair: the private key signs tokens, the public key goes to the platform'
            cand matching 'Assemble and validate matching objects (which profile a token acts for)'
            cand mint 'Sign a token: {"iss", "exp", "rtoken", "matching"} with matching as a JSON string'
            cand decode 'Show a token''s header and claims, matching unpacked and times made human. No key needed, and nothing is verified: use `acjwt verify` for that'
            cand verify 'Verify a token: signature, algorithm, exp/nbf/iat and the Altcraft claims'
            cand header 'Print the Authorization header value the SDK sends, for trying the platform API with curl'
            cand key 'Inspect and convert key files: PEM (SEC1, PKCS#8, PKCS#1, SPKI), DER, JWK and JWKS'
            cand explain 'Explain whether a token will work: every check, in the order a support engineer goes'
            cand serve 'Serve tokens over HTTP: the token service an app under development (or a backend) calls'
            cand completions 'Print a shell completion script, or write all of them to a folder'
            cand man 'Print the acjwt(1) man page, or write every page (one per subcommand) to a folder'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acjwt;help;keygen'= {
        }
        &'acjwt;help;matching'= {
            cand build 'Print a matching object as compact JSON, checked against its mode''s required fields'
            cand modes 'List the matching modes, the fields each needs, and what each matches on'
        }
        &'acjwt;help;matching;build'= {
        }
        &'acjwt;help;matching;modes'= {
        }
        &'acjwt;help;mint'= {
        }
        &'acjwt;help;decode'= {
        }
        &'acjwt;help;verify'= {
        }
        &'acjwt;help;header'= {
        }
        &'acjwt;help;key'= {
            cand inspect 'Say what a key file is and whether the platform accepts it for JWT auth'
            cand public 'Print the public half of a key: SPKI PEM (what the platform takes), or a JWK/JWKS'
            cand convert 'Write a key in another format'
        }
        &'acjwt;help;key;inspect'= {
        }
        &'acjwt;help;key;public'= {
        }
        &'acjwt;help;key;convert'= {
        }
        &'acjwt;help;explain'= {
        }
        &'acjwt;help;serve'= {
        }
        &'acjwt;help;completions'= {
        }
        &'acjwt;help;man'= {
        }
        &'acjwt;help;help'= {
        }
    ]
    $completions[$command]
}
