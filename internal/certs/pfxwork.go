package certs

import (
	"crypto/x509/pkix"
	"encoding/asn1"
)

// A PKCS#12 file names its own key-derivation iteration counts, and
// go-pkcs12 honours any count, so a damaged or hostile file could make Load
// spin for minutes. pfxIterations reads, without the password, every count
// the decoder will use before it decrypts: the MAC's (SHA-1/SHA-256 MACs or
// PBMAC1), the encrypted safes' and the shrouded key bags' in plain safes.
// Files it cannot walk are left to go-pkcs12 to reject.

var (
	oidPKCS7Data          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidPKCS7EncryptedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}
	oidShroudedKeyBag     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
	oidPBMAC1             = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 14}
	oidPKCS12PBEPrefix    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1}
)

type pfxContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
}

type pfxPDU struct {
	Version  int
	AuthSafe pfxContentInfo
	MacData  struct {
		Mac struct {
			Algorithm pkix.AlgorithmIdentifier
			Digest    []byte
		}
		Salt       []byte
		Iterations int `asn1:"optional,default:1"`
	} `asn1:"optional"`
}

type pfxEncryptedData struct {
	Version int
	Info    struct {
		ContentType asn1.ObjectIdentifier
		Algorithm   pkix.AlgorithmIdentifier
		Content     asn1.RawValue `asn1:"tag:0,optional"`
	}
}

type pfxSafeBag struct {
	ID         asn1.ObjectIdentifier
	Value      asn1.RawValue `asn1:"tag:0,explicit"`
	Attributes asn1.RawValue `asn1:"optional"`
}

// pfxIterations returns the largest iteration count found in data.
func pfxIterations(data []byte) int {
	var pfx pfxPDU
	if _, err := asn1.Unmarshal(data, &pfx); err != nil {
		return 0
	}
	most := pfx.MacData.Iterations
	if pfx.MacData.Mac.Algorithm.Algorithm.Equal(oidPBMAC1) {
		var p pbes2Params // PBMAC1-params has the same shape: a KDF, then a MAC
		if _, err := asn1.Unmarshal(pfx.MacData.Mac.Algorithm.Parameters.FullBytes, &p); err == nil {
			most = max(most, kdfIterations(p.KeyDerivationFunc))
		}
	}
	var safe []byte
	if _, err := asn1.Unmarshal(pfx.AuthSafe.Content.Bytes, &safe); err != nil {
		return most
	}
	var infos []pfxContentInfo
	if _, err := asn1.Unmarshal(safe, &infos); err != nil {
		return most
	}
	for _, ci := range infos {
		switch {
		case ci.ContentType.Equal(oidPKCS7EncryptedData):
			var ed pfxEncryptedData
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &ed); err == nil {
				most = max(most, algIterations(ed.Info.Algorithm))
			}
		case ci.ContentType.Equal(oidPKCS7Data):
			var plain []byte
			var bags []pfxSafeBag
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &plain); err != nil {
				continue
			}
			if _, err := asn1.Unmarshal(plain, &bags); err != nil {
				continue
			}
			for _, bag := range bags {
				var info encryptedPrivateKeyInfo
				if bag.ID.Equal(oidShroudedKeyBag) {
					if _, err := asn1.Unmarshal(bag.Value.Bytes, &info); err == nil {
						most = max(most, algIterations(info.Algorithm))
					}
				}
			}
		}
	}
	return most
}

// algIterations reads the iteration count of a PBES2 or PKCS#12 PBE algorithm.
func algIterations(alg pkix.AlgorithmIdentifier) int {
	if alg.Algorithm.Equal(oidPBES2) {
		var p pbes2Params
		if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err == nil {
			return kdfIterations(p.KeyDerivationFunc)
		}
		return 0
	}
	if len(alg.Algorithm) == len(oidPKCS12PBEPrefix)+1 && alg.Algorithm[:len(oidPKCS12PBEPrefix)].Equal(oidPKCS12PBEPrefix) {
		var p struct {
			Salt       []byte
			Iterations int
		}
		if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err == nil {
			return p.Iterations
		}
	}
	return 0
}

// kdfIterations reads a PBKDF2 iteration count.
func kdfIterations(kdf pkix.AlgorithmIdentifier) int {
	var p pbkdf2Params
	if !kdf.Algorithm.Equal(oidPBKDF2) {
		return 0
	}
	if _, err := asn1.Unmarshal(kdf.Parameters.FullBytes, &p); err != nil {
		return 0
	}
	return p.Iterations
}
