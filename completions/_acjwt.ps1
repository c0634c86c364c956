
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'acjwt' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'acjwt'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'acjwt' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate a key pair: the private key signs tokens, the public key goes to the platform')
            [CompletionResult]::new('matching', 'matching', [CompletionResultType]::ParameterValue, 'Assemble and validate matching objects (which profile a token acts for)')
            [CompletionResult]::new('mint', 'mint', [CompletionResultType]::ParameterValue, 'Sign a token: {"iss", "exp", "rtoken", "matching"} with matching as a JSON string')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Show a token''s header and claims, matching unpacked and times made human. No key needed, and nothing is verified: use `acjwt verify` for that')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a token: signature, algorithm, exp/nbf/iat and the Altcraft claims')
            [CompletionResult]::new('header', 'header', [CompletionResultType]::ParameterValue, 'Print the Authorization header value the SDK sends, for trying the platform API with curl')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Inspect and convert key files: PEM (SEC1, PKCS#8, PKCS#1, SPKI), DER, JWK and JWKS')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain whether a token will work: every check, in the order a support engineer goes')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve tokens over HTTP: the token service an app under development (or a backend) calls')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script, or write all of them to a folder')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the acjwt(1) man page, or write every page (one per subcommand) to a folder')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acjwt;keygen' {
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Algorithm: ES384 (recommended), ES256, ES512 or RS256')
            [CompletionResult]::new('--bits', '--bits', [CompletionResultType]::ParameterName, 'RSA modulus size for RS256')
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Folder for both files, created if missing (default: the current folder)')
            [CompletionResult]::new('--private', '--private', [CompletionResultType]::ParameterName, 'Private key file name (default: private.ec.key, or private.rsa.key for RS256)')
            [CompletionResult]::new('--public', '--public', [CompletionResultType]::ParameterName, 'Public key file name')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'Key id: auto (the key''s RFC 7638 thumbprint) or a name. Recorded in <private key>.kid, which mint puts in the token header, and in the JWKS')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--pkcs8', '--pkcs8', [CompletionResultType]::ParameterName, 'Write the private key as PKCS#8 ("PRIVATE KEY") instead of SEC1 for EC keys')
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'Also write the public key as a JWK Set, jwks.json, beside the PEM pair')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing files')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON summary on stdout')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acjwt;matching' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Print a matching object as compact JSON, checked against its mode''s required fields')
            [CompletionResult]::new('modes', 'modes', [CompletionResultType]::ParameterValue, 'List the matching modes, the fields each needs, and what each matches on')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acjwt;matching;build' {
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Matching mode: how the platform finds the profile')
            [CompletionResult]::new('--db-id', '--db-id', [CompletionResultType]::ParameterName, 'Profile database id (an integer from 1 to 2147483647)')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Email (modes email, email_profile, email_sub, email_phone, email_phone_sub)')
            [CompletionResult]::new('--phone', '--phone', [CompletionResultType]::ParameterName, 'Phone, e.g. +79000000000 (modes phone, phone_sub, email_phone, email_phone_sub)')
            [CompletionResult]::new('--profile-id', '--profile-id', [CompletionResultType]::ParameterName, 'Platform profile id (mode profile_id)')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Push provider, e.g. android-firebase, ios-apns (mode push_sub)')
            [CompletionResult]::new('--subscription-id', '--subscription-id', [CompletionResultType]::ParameterName, 'Push subscription id: the device token (mode push_sub)')
            [CompletionResult]::new('--field-name', '--field-name', [CompletionResultType]::ParameterName, 'Custom field name, e.g. CRM_ID (modes custom, custom_sub)')
            [CompletionResult]::new('--field-value', '--field-value', [CompletionResultType]::ParameterName, 'Custom field value, kept a string (modes custom, custom_sub)')
            [CompletionResult]::new('--field-value-int', '--field-value-int', [CompletionResultType]::ParameterName, 'Custom field value as a JSON integer instead of a string')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acjwt;matching;modes' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acjwt;matching;help' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Print a matching object as compact JSON, checked against its mode''s required fields')
            [CompletionResult]::new('modes', 'modes', [CompletionResultType]::ParameterValue, 'List the matching modes, the fields each needs, and what each matches on')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acjwt;matching;help;build' {
            break
        }
        'acjwt;matching;help;modes' {
            break
        }
        'acjwt;matching;help;help' {
            break
        }
        'acjwt;mint' {
            [CompletionResult]::new('--iss', '--iss', [CompletionResultType]::ParameterName, 'Issuer: your application''s name')
            [CompletionResult]::new('--rtoken', '--rtoken', [CompletionResultType]::ParameterName, 'Role token from the resource''s settings (prefer ACJWT_RTOKEN or --rtoken-file: command lines end up in shell history and process lists)')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'Key id for the header (default: the kid of a JWK key, or the one keygen --kid recorded in <key>.kid)')
            [CompletionResult]::new('--matching', '--matching', [CompletionResultType]::ParameterName, 'The whole matching object as JSON, instead of the matching flags')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Lifetime: 30s, 15m, 1h, 7d')
            [CompletionResult]::new('--exp', '--exp', [CompletionResultType]::ParameterName, 'Expiry instead of --ttl: unix seconds, RFC 3339 or relative (+2h)')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Expected algorithm; an error if the key is for another one')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Mint one token per line of FILE (- reads stdin): each line a matching object as JSON, checked as --matching is. Output keeps the input order')
            [CompletionResult]::new('--batch-format', '--batch-format', [CompletionResultType]::ParameterName, 'With --batch: tokens (one per line, the default) or jsonl ({"line", "token", "matching"} per line)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'With --batch: write to FILE (mode 0600) instead of stdout; on failure FILE is left as it was, never half-written')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'With --batch: write to FILE (mode 0600) instead of stdout; on failure FILE is left as it was, never half-written')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'With --batch: worker threads, 1 to 256 (default: one per core)')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Matching mode: how the platform finds the profile')
            [CompletionResult]::new('--db-id', '--db-id', [CompletionResultType]::ParameterName, 'Profile database id (an integer from 1 to 2147483647)')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Email (modes email, email_profile, email_sub, email_phone, email_phone_sub)')
            [CompletionResult]::new('--phone', '--phone', [CompletionResultType]::ParameterName, 'Phone, e.g. +79000000000 (modes phone, phone_sub, email_phone, email_phone_sub)')
            [CompletionResult]::new('--profile-id', '--profile-id', [CompletionResultType]::ParameterName, 'Platform profile id (mode profile_id)')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Push provider, e.g. android-firebase, ios-apns (mode push_sub)')
            [CompletionResult]::new('--subscription-id', '--subscription-id', [CompletionResultType]::ParameterName, 'Push subscription id: the device token (mode push_sub)')
            [CompletionResult]::new('--field-name', '--field-name', [CompletionResultType]::ParameterName, 'Custom field name, e.g. CRM_ID (modes custom, custom_sub)')
            [CompletionResult]::new('--field-value', '--field-value', [CompletionResultType]::ParameterName, 'Custom field value, kept a string (modes custom, custom_sub)')
            [CompletionResult]::new('--field-value-int', '--field-value-int', [CompletionResultType]::ParameterName, 'Custom field value as a JSON integer instead of a string')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key file (PEM, DER or JWK; - reads stdin). An encrypted PKCS#8 key is opened with ACJWT_KEY_PASSPHRASE or a passphrase prompt')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Signing library: aws-lc (fastest; in the default build) or rustcrypto (pure Rust). Default: the fastest this build has; one ES token is signed with rustcrypto instead when aws-lc was built with CPU-jitter entropy, whose first random draw costs ~25 ms a process')
            [CompletionResult]::new('--rtoken-file', '--rtoken-file', [CompletionResultType]::ParameterName, 'Read the role token from a file (- reads stdin): one line; a BOM and the final newline are dropped. Cannot be combined with --rtoken; it takes precedence over ACJWT_RTOKEN')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON document (token, alg, exp, matching) instead of the bare token')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acjwt;decode' {
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Judge times at this instant instead of now: unix seconds, RFC 3339 or relative (-1h)')
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Clock skew to tolerate on exp, nbf and iat')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"header", "claims", "matching", "times", "warnings"} as JSON')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acjwt;verify' {
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Verify one token per line of FILE (- reads stdin) on every core; one report per line (with --json, one JSON object per line), exit 1 if any token is invalid')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Signing library: aws-lc (fastest; in the default build) or rustcrypto (pure Rust). Default: the fastest this build has')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'With --batch: worker threads, 1 to 256 (default: one per core)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Public key (or private key, JWK, or JWKS whose entry the token''s kid chooses) to check the signature with; - reads stdin')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Judge times at this instant instead of now: unix seconds, RFC 3339 or relative (-1h)')
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Clock skew to tolerate on exp, nbf and iat')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--generic', '--generic', [CompletionResultType]::ParameterName, 'Check only what any JWT verifier checks; skip the Altcraft claim rules')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"valid", "alg", "kid", "claims", "failures", "warnings"} as JSON')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acjwt;header' {
            [CompletionResult]::new('--rtoken', '--rtoken', [CompletionResultType]::ParameterName, 'A role token instead of a JWT')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acjwt;key' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Say what a key file is and whether the platform accepts it for JWT auth')
            [CompletionResult]::new('public', 'public', [CompletionResultType]::ParameterValue, 'Print the public half of a key: SPKI PEM (what the platform takes), or a JWK/JWKS')
            [CompletionResult]::new('convert', 'convert', [CompletionResultType]::ParameterValue, 'Write a key in another format')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acjwt;key;inspect' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"file", "format", "encrypted", "accepted", "keys": [...]} as JSON')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acjwt;key;public' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--jwk', '--jwk', [CompletionResultType]::ParameterName, 'Print a JWK instead of PEM')
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'Print a JWKS ({"keys": [...]}) instead of PEM')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acjwt;key;convert' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The format to write')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--private', '--private', [CompletionResultType]::ParameterName, 'Keep the private key in a JWK or JWKS (the "d" member)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace --output if it exists')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acjwt;key;help' {
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Say what a key file is and whether the platform accepts it for JWT auth')
            [CompletionResult]::new('public', 'public', [CompletionResultType]::ParameterValue, 'Print the public half of a key: SPKI PEM (what the platform takes), or a JWK/JWKS')
            [CompletionResult]::new('convert', 'convert', [CompletionResultType]::ParameterValue, 'Write a key in another format')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acjwt;key;help;inspect' {
            break
        }
        'acjwt;key;help;public' {
            break
        }
        'acjwt;key;help;convert' {
            break
        }
        'acjwt;key;help;help' {
            break
        }
        'acjwt;explain' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Public key (or private key, JWK, or JWKS whose entry the token''s kid chooses) to check the signature with; - reads stdin')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Judge times at this instant instead of now: unix seconds, RFC 3339 or relative (-1h)')
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Clock skew to tolerate on exp, nbf and iat')
            [CompletionResult]::new('--sdk-error', '--sdk-error', [CompletionResultType]::ParameterName, 'Instead of a token, list the causes of an SDK auth error code (540-545) and how to check a token for each')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the report as JSON: {"ok", "summary", "matching_mode", "user_tag", "checks"}, or {"ok", "tokens": [...], "comparison"} for two tokens')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acjwt;serve' {
            [CompletionResult]::new('--iss', '--iss', [CompletionResultType]::ParameterName, 'Issuer: your application''s name')
            [CompletionResult]::new('--rtoken', '--rtoken', [CompletionResultType]::ParameterName, 'Role token from the resource''s settings (prefer ACJWT_RTOKEN or --rtoken-file: command lines end up in shell history and process lists)')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'Named users, TOML: one table per user holding its matching object and an optional ttl, e.g. [alice] matching = "email", db_id = 2, email = "alice@example.com". Reread on SIGHUP')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Where to listen: IP:PORT (port 0 takes a free one) or unix:PATH')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Lifetime of tokens when a request names none')
            [CompletionResult]::new('--max-ttl', '--max-ttl', [CompletionResultType]::ParameterName, 'The longest ttl a request (or a user) may ask for')
            [CompletionResult]::new('--access-token-file', '--access-token-file', [CompletionResultType]::ParameterName, 'File holding the access token API calls must send as Authorization: Bearer (or set ACJWT_ACCESS_TOKEN). Required on an address other than loopback, where without it a token is generated and shown once if stderr is a terminal')
            [CompletionResult]::new('--cors-origin', '--cors-origin', [CompletionResultType]::ParameterName, 'Allow this origin to call the API from a browser (CORS); none by default')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Request log format on stderr')
            [CompletionResult]::new('--header-read-timeout', '--header-read-timeout', [CompletionResultType]::ParameterName, 'Close a connection whose request header has not arrived within this time (hyper starts the clock when it waits for a request, so this also closes idle keep-alive connections)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a connection with no traffic at all for this long (in a request as well)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Answer a request (body included) within this time, or 408')
            [CompletionResult]::new('--shutdown-grace', '--shutdown-grace', [CompletionResultType]::ParameterName, 'On SIGINT/SIGTERM, wait this long for in-flight requests')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Open connections at most; more get a 503')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Signing library: aws-lc (fastest; in the default build) or rustcrypto (pure Rust). Default: the fastest this build has')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key file (PEM, DER or JWK), reread on SIGHUP. An encrypted PKCS#8 key needs ACJWT_KEY_PASSPHRASE, since a reload cannot prompt')
            [CompletionResult]::new('--rtoken-file', '--rtoken-file', [CompletionResultType]::ParameterName, 'Read the role token from a file, reread on SIGHUP: one line; a BOM and the final newline are dropped. Cannot be combined with --rtoken; it takes precedence over ACJWT_RTOKEN')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'Key id for every token and the JWKS (default: the kid of a JWK key, or the one keygen --kid recorded in <key>.kid, or else the key''s RFC 7638 thumbprint)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acjwt;completions' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write the scripts for every shell into this folder instead')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acjwt;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write acjwt.1 and acjwt-SUBCOMMAND.1 pages into this folder')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal without NO_COLOR), always or never')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail at once when a value is missing (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acjwt;help' {
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate a key pair: the private key signs tokens, the public key goes to the platform')
            [CompletionResult]::new('matching', 'matching', [CompletionResultType]::ParameterValue, 'Assemble and validate matching objects (which profile a token acts for)')
            [CompletionResult]::new('mint', 'mint', [CompletionResultType]::ParameterValue, 'Sign a token: {"iss", "exp", "rtoken", "matching"} with matching as a JSON string')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Show a token''s header and claims, matching unpacked and times made human. No key needed, and nothing is verified: use `acjwt verify` for that')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a token: signature, algorithm, exp/nbf/iat and the Altcraft claims')
            [CompletionResult]::new('header', 'header', [CompletionResultType]::ParameterValue, 'Print the Authorization header value the SDK sends, for trying the platform API with curl')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Inspect and convert key files: PEM (SEC1, PKCS#8, PKCS#1, SPKI), DER, JWK and JWKS')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain whether a token will work: every check, in the order a support engineer goes')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve tokens over HTTP: the token service an app under development (or a backend) calls')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script, or write all of them to a folder')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the acjwt(1) man page, or write every page (one per subcommand) to a folder')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acjwt;help;keygen' {
            break
        }
        'acjwt;help;matching' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Print a matching object as compact JSON, checked against its mode''s required fields')
            [CompletionResult]::new('modes', 'modes', [CompletionResultType]::ParameterValue, 'List the matching modes, the fields each needs, and what each matches on')
            break
        }
        'acjwt;help;matching;build' {
            break
        }
        'acjwt;help;matching;modes' {
            break
        }
        'acjwt;help;mint' {
            break
        }
        'acjwt;help;decode' {
            break
        }
        'acjwt;help;verify' {
            break
        }
        'acjwt;help;header' {
            break
        }
        'acjwt;help;key' {
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Say what a key file is and whether the platform accepts it for JWT auth')
            [CompletionResult]::new('public', 'public', [CompletionResultType]::ParameterValue, 'Print the public half of a key: SPKI PEM (what the platform takes), or a JWK/JWKS')
            [CompletionResult]::new('convert', 'convert', [CompletionResultType]::ParameterValue, 'Write a key in another format')
            break
        }
        'acjwt;help;key;inspect' {
            break
        }
        'acjwt;help;key;public' {
            break
        }
        'acjwt;help;key;convert' {
            break
        }
        'acjwt;help;explain' {
            break
        }
        'acjwt;help;serve' {
            break
        }
        'acjwt;help;completions' {
            break
        }
        'acjwt;help;man' {
            break
        }
        'acjwt;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
