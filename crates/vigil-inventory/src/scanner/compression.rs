//! The single-stream compressions the walker reads (gzip, xz, bzip2, zstd), each recognised by
//! its name and by its first bytes, and decoded as a stream under the same inflation guards
//! ([`super::limits::Inflation`]) whichever it is.

use std::io::{self, BufReader, Read};

/// The most memory an xz stream may ask for to be decoded. `xz -9` needs 65 MiB; a stream
/// that declares more (its dictionary may claim 1.5 GiB) is refused rather than allocated.
const MAX_XZ_DECODER_BYTES: u64 = 128 << 20;

/// The largest zstd window accepted, as a power of two: zstd's own default limit (128 MiB),
/// written out so that a frame declaring a 2 GiB window is refused whatever the library says.
const MAX_ZSTD_WINDOW_LOG: u32 = 27;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Codec {
    Gzip,
    Xz,
    Bzip2,
    Zstd,
}

impl Codec {
    /// By extension: the codec, and whether the name says a tar is inside (`.tgz`,
    /// `.tar.xz`...).
    pub(crate) fn by_name(lower_name: &str) -> Option<(Codec, bool)> {
        let (stem, extension) = lower_name.rsplit_once('.')?;
        let (codec, tar) = match extension {
            "tgz" => (Codec::Gzip, true),
            "gz" => (Codec::Gzip, false),
            "txz" => (Codec::Xz, true),
            "xz" => (Codec::Xz, false),
            "tbz" | "tbz2" => (Codec::Bzip2, true),
            "bz2" => (Codec::Bzip2, false),
            "tzst" => (Codec::Zstd, true),
            "zst" => (Codec::Zstd, false),
            _ => return None,
        };
        Some((codec, tar || stem.ends_with(".tar")))
    }

    pub(crate) fn by_magic(head: &[u8]) -> Option<Codec> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(Codec::Gzip)
        } else if head.starts_with(b"\xfd7zXZ\0") {
            Some(Codec::Xz)
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Codec::Zstd)
        } else if is_bzip2(head) {
            Some(Codec::Bzip2)
        } else {
            None
        }
    }

    /// The extension a compressed file's name drops to name what is inside.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Codec::Gzip => "gz",
            Codec::Xz => "xz",
            Codec::Bzip2 => "bz2",
            Codec::Zstd => "zst",
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Codec::Gzip => "gzip",
            Codec::Xz => "xz",
            Codec::Bzip2 => "bzip2",
            Codec::Zstd => "zstd",
        }
    }

    /// A decoder of every concatenated stream or frame (as `gzip -d`, `xz -d`, `zstd -d` do).
    pub(crate) fn decoder<'r>(self, reader: impl Read + 'r) -> io::Result<Box<dyn Read + 'r>> {
        Ok(match self {
            Codec::Gzip => Box::new(flate2::read::MultiGzDecoder::new(reader)),
            Codec::Xz => {
                let stream = liblzma::stream::Stream::new_stream_decoder(
                    MAX_XZ_DECODER_BYTES,
                    liblzma::stream::CONCATENATED,
                )
                .map_err(io::Error::other)?;
                Box::new(liblzma::read::XzDecoder::new_stream(
                    BufReader::new(reader),
                    stream,
                ))
            }
            Codec::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(reader)),
            Codec::Zstd => Box::new(zstd_decoder(BufReader::new(reader))?),
        })
    }
}

/// A zstd decoder with the window limit above (also used for image layers).
pub(crate) fn zstd_decoder<'r, R: io::BufRead + 'r>(
    reader: R,
) -> io::Result<zstd::stream::read::Decoder<'r, R>> {
    let mut decoder = zstd::stream::read::Decoder::with_buffer(reader)?;
    decoder.window_log_max(MAX_ZSTD_WINDOW_LOG)?;
    Ok(decoder)
}

/// `BZh`, the block size digit, then a block's or the end-of-stream's 48-bit magic: three
/// letters alone are too common in text to mean bzip2.
fn is_bzip2(head: &[u8]) -> bool {
    const BLOCK: &[u8] = &[0x31, 0x41, 0x59, 0x26, 0x53, 0x59];
    const END: &[u8] = &[0x17, 0x72, 0x45, 0x38, 0x50, 0x90];
    head.len() >= 10
        && head.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&head[3])
        && (&head[4..10] == BLOCK || &head[4..10] == END)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn compress(codec: Codec, bytes: &[u8]) -> Vec<u8> {
        match codec {
            Codec::Gzip => {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                e.write_all(bytes).unwrap();
                e.finish().unwrap()
            }
            Codec::Xz => {
                let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
                e.write_all(bytes).unwrap();
                e.finish().unwrap()
            }
            Codec::Bzip2 => {
                let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
                e.write_all(bytes).unwrap();
                e.finish().unwrap()
            }
            Codec::Zstd => zstd::encode_all(bytes, 3).unwrap(),
        }
    }

    #[test]
    fn each_codec_is_known_by_its_first_bytes_and_decodes_concatenated_streams() {
        for codec in [Codec::Gzip, Codec::Xz, Codec::Bzip2, Codec::Zstd] {
            let mut two = compress(codec, b"hello ");
            two.extend(compress(codec, b"world"));
            assert_eq!(Codec::by_magic(&two), Some(codec), "{codec:?}");
            let mut out = String::new();
            codec
                .decoder(&two[..])
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            assert_eq!(out, "hello world", "{codec:?}");
        }
        assert_eq!(Codec::by_magic(b"BZh9 is how this text starts"), None);
        assert_eq!(Codec::by_magic(b"plain text"), None);
    }

    #[test]
    fn names_say_the_codec_and_whether_a_tar_is_inside() {
        for (name, expected) in [
            ("a.tgz", Some((Codec::Gzip, true))),
            ("a.tar.gz", Some((Codec::Gzip, true))),
            ("a.json.gz", Some((Codec::Gzip, false))),
            ("a.tar.xz", Some((Codec::Xz, true))),
            ("a.txz", Some((Codec::Xz, true))),
            ("a.xz", Some((Codec::Xz, false))),
            ("a.tar.bz2", Some((Codec::Bzip2, true))),
            ("a.tbz2", Some((Codec::Bzip2, true))),
            ("a.tar.zst", Some((Codec::Zstd, true))),
            ("a.tzst", Some((Codec::Zstd, true))),
            ("a.zst", Some((Codec::Zstd, false))),
            ("a.tar", None),
            ("gz", None),
        ] {
            assert_eq!(Codec::by_name(name), expected, "{name}");
        }
    }

    #[test]
    fn a_zstd_frame_asking_for_a_huge_window_is_refused() {
        // A frame header declaring a 2 GiB window (window descriptor 0xA8: exponent 31).
        let frame = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xa8, 0, 0, 0, 0, 0, 0];
        let mut out = Vec::new();
        let err = Codec::Zstd
            .decoder(&frame[..])
            .unwrap()
            .read_to_end(&mut out)
            .unwrap_err();
        assert!(out.is_empty());
        assert!(!err.to_string().is_empty());
    }
}
