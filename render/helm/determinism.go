package helm

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"text/template"
	"time"
)

// renderedNow is the time `now` gives a template: a fixed instant, so
// that what a chart renders does not depend on when it is scanned.
var renderedNow = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// deterministicFuncs replaces sprig's functions whose results are random
// or read the clock (randAlphaNum, uuidv4, now, genCA, bcrypt …) with ones
// that give the same results on every run. A chart that names a test Pod
// `{{ .Release.Name }}-test-{{ randAlphaNum 5 }}` or stores a generated
// password otherwise renders differently each time, and so would every
// finding's object, message and fingerprint: code scanning would see new
// alerts on every run and a baseline would match nothing. The values come
// from one generator per rendering, seeded with a constant; Helm executes
// a release's templates one at a time in a fixed order, so each call gets
// the same value on every run. Generated keys and certificates are
// placeholders in PEM armour (generating a real RSA key takes tens of
// milliseconds, a cost a chart could multiply), and counts are bounded as
// `repeat`'s are.
func deterministicFuncs() template.FuncMap {
	rng := rand.New(rand.NewPCG(0x69736f6c, 0x696e74))
	pick := func(charset string) func(int) (string, error) {
		return func(n int) (string, error) {
			if n > maxRepeatLen {
				return "", fmt.Errorf("a random string of %d characters exceeds isolint's limit of %d", n, maxRepeatLen)
			}
			b := make([]byte, max(n, 0))
			for i := range b {
				b[i] = charset[rng.IntN(len(charset))]
			}
			return string(b), nil
		}
	}
	bytesOf := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var ascii strings.Builder
	for c := byte(32); c <= 126; c++ {
		ascii.WriteByte(c)
	}
	bcryptHash := func(string) string {
		// the shape of a bcrypt hash at the default cost, its salt and
		// digest drawn from the generator
		s, _ := pick("./" + letters + "0123456789")(53)
		return "$2a$10$" + s
	}
	return template.FuncMap{
		"randAlphaNum": pick(letters + "0123456789"),
		"randAlpha":    pick(letters),
		"randNumeric":  pick("0123456789"),
		"randAscii":    pick(ascii.String()),
		"randBytes": func(n int) (string, error) {
			if n > maxRepeatLen {
				return "", fmt.Errorf("randBytes of %d bytes exceeds isolint's limit of %d", n, maxRepeatLen)
			}
			return base64.StdEncoding.EncodeToString(bytesOf(max(n, 0))), nil
		},
		"randInt": func(lo, hi int) (int, error) {
			if hi <= lo {
				return 0, fmt.Errorf("randInt: %d is not above %d", hi, lo)
			}
			return lo + rng.IntN(hi-lo), nil
		},
		"uuidv4": func() string {
			b := bytesOf(16)
			b[6] = b[6]&0x0f | 0x40 // version 4
			b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
			h := hex.EncodeToString(b)
			return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
		},
		"shuffle": func(s string) string {
			r := []rune(s)
			rng.Shuffle(len(r), func(i, j int) { r[i], r[j] = r[j], r[i] })
			return string(r)
		},
		"now": func() time.Time { return renderedNow },
		"ago": func(date any) string {
			t := renderedNow
			switch d := date.(type) {
			case time.Time:
				t = d
			case int64:
				t = time.Unix(d, 0)
			case int:
				t = time.Unix(int64(d), 0)
			}
			return renderedNow.Sub(t).Round(time.Second).String()
		},
		"bcrypt": bcryptHash,
		"htpasswd": func(user, password string) string {
			if strings.Contains(user, ":") {
				return "invalid username: " + user
			}
			return user + ":" + bcryptHash(password)
		},
		"encryptAES": func(password, plaintext string) (string, error) {
			if plaintext == "" {
				return "", nil
			}
			key := make([]byte, 32)
			copy(key, password)
			block, err := aes.NewCipher(key)
			if err != nil {
				return "", err
			}
			pad := aes.BlockSize - len(plaintext)%aes.BlockSize
			content := append([]byte(plaintext), bytes.Repeat([]byte{byte(pad)}, pad)...)
			out := append(bytesOf(aes.BlockSize), make([]byte, len(content))...)
			cipher.NewCBCEncrypter(block, out[:aes.BlockSize]).CryptBlocks(out[aes.BlockSize:], content)
			return base64.StdEncoding.EncodeToString(out), nil
		},
		"genPrivateKey": func(typ string) string {
			switch typ {
			case "", "rsa":
				return pemPlaceholder("RSA PRIVATE KEY", bytesOf(48))
			case "dsa":
				return pemPlaceholder("DSA PRIVATE KEY", bytesOf(48))
			case "ecdsa":
				return pemPlaceholder("EC PRIVATE KEY", bytesOf(48))
			case "ed25519":
				return pemPlaceholder("PRIVATE KEY", bytesOf(48))
			}
			return "Unknown type " + typ
		},
		"buildCustomCert": func(b64cert, b64key string) (certificate, error) {
			cert, err := base64.StdEncoding.DecodeString(b64cert)
			if err != nil {
				return certificate{}, fmt.Errorf("unable to decode base64 certificate: %w", err)
			}
			key, err := base64.StdEncoding.DecodeString(b64key)
			if err != nil {
				return certificate{}, fmt.Errorf("unable to decode base64 private key: %w", err)
			}
			return certificate{Cert: string(cert), Key: string(key)}, nil
		},
		"genCA": func(string, int) (certificate, error) {
			return placeholderCert(bytesOf), nil
		},
		"genCAWithKey": func(_ string, _ int, key string) (certificate, error) {
			return certificate{Cert: pemPlaceholder("CERTIFICATE", bytesOf(48)), Key: key}, nil
		},
		"genSelfSignedCert": func(string, []any, []any, int) (certificate, error) {
			return placeholderCert(bytesOf), nil
		},
		"genSelfSignedCertWithKey": func(_ string, _, _ []any, _ int, key string) (certificate, error) {
			return certificate{Cert: pemPlaceholder("CERTIFICATE", bytesOf(48)), Key: key}, nil
		},
		"genSignedCert": func(string, []any, []any, int, certificate) (certificate, error) {
			return placeholderCert(bytesOf), nil
		},
		"genSignedCertWithKey": func(_ string, _, _ []any, _ int, _ certificate, key string) (certificate, error) {
			return certificate{Cert: pemPlaceholder("CERTIFICATE", bytesOf(48)), Key: key}, nil
		},
	}
}

// certificate is what sprig's certificate functions give a template: its
// PEM text and its key's.
type certificate struct {
	Cert string
	Key  string
}

func placeholderCert(bytesOf func(int) []byte) certificate {
	return certificate{Cert: pemPlaceholder("CERTIFICATE", bytesOf(48)), Key: pemPlaceholder("RSA PRIVATE KEY", bytesOf(48))}
}

// pemPlaceholder is PEM armour around body: the shape templates and
// scanners expect of a generated key or certificate, with no key in it.
func pemPlaceholder(kind string, body []byte) string {
	return "-----BEGIN " + kind + "-----\n" + base64.StdEncoding.EncodeToString(body) + "\n-----END " + kind + "-----\n"
}
