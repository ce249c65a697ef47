//! A container image built at test time from this machine's real files (its dpkg database and
//! os-release, its Terraform and Docker programs), in OCI layout with a gzip layer, an
//! uncompressed layer and a whiteout, then scanned. SKIPPED where those files are absent.
//! (`docker save` needs a daemon, which test machines do not have.)

use std::{
    collections::BTreeSet,
    io::Write,
    path::{Path, PathBuf},
    process::Command,
};

use vigil_inventory::{image::is_image, scan_paths, ScanLimits};

fn layer(files: &[(&str, &Path, u32)], whiteouts: &[&str]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, source, mode) in files {
        let data = std::fs::read(source).unwrap();
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(*mode);
        builder
            .append_data(&mut header, name, data.as_slice())
            .unwrap();
    }
    for name in whiteouts {
        let mut header = tar::Header::new_gnu();
        header.set_size(0);
        header.set_mode(0o644);
        builder.append_data(&mut header, name, &[][..]).unwrap();
    }
    builder.into_inner().unwrap()
}

fn oci_tarball(path: &Path, layers: &[Vec<u8>]) {
    let mut files: Vec<(String, Vec<u8>)> = vec![(
        "oci-layout".into(),
        br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
    )];
    let mut descriptors = Vec::new();
    for (i, layer) in layers.iter().enumerate() {
        let digest = format!("{:064x}", 0xa000 + i);
        descriptors.push(serde_json::json!({"digest": format!("sha256:{digest}")}));
        files.push((format!("blobs/sha256/{digest}"), layer.clone()));
    }
    let manifest = format!("{:064x}", 0xb000);
    files.push((
        format!("blobs/sha256/{manifest}"),
        serde_json::to_vec(&serde_json::json!({"layers": descriptors})).unwrap(),
    ));
    files.push((
        "index.json".into(),
        serde_json::to_vec(
            &serde_json::json!({"manifests": [{"digest": format!("sha256:{manifest}")}]}),
        )
        .unwrap(),
    ));
    let mut builder = tar::Builder::new(std::fs::File::create(path).unwrap());
    for (name, data) in files {
        let mut header = tar::Header::new_ustar();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, name, data.as_slice())
            .unwrap();
    }
    builder.finish().unwrap();
}

#[test]
fn an_image_of_this_machines_files_lists_its_debian_packages_and_go_modules() {
    let status = Path::new("/var/lib/dpkg/status");
    let os_release = Path::new("/usr/lib/os-release");
    let terraform = Path::new("/usr/local/bin/terraform");
    let docker = Path::new("/usr/local/bin/docker");
    let query = Command::new("dpkg-query")
        .args([
            "-W",
            "-f",
            "${db:Status-Status}\t${source:Package}\t${source:Version}\n",
        ])
        .output();
    let present = [status, os_release, terraform, docker]
        .iter()
        .all(|p| p.is_file());
    let (true, Ok(query)) = (present, query) else {
        eprintln!("SKIPPED: dpkg, os-release, terraform or docker is missing");
        return;
    };
    let distro = std::fs::read_to_string(os_release).unwrap();
    if !(distro.contains("ID=debian") && distro.contains("VERSION_ID=\"12\"")) {
        eprintln!("SKIPPED: this machine is not Debian 12");
        return;
    }
    let expected_debian: BTreeSet<(String, String)> = String::from_utf8(query.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let mut fields = l.split('\t');
            (fields.next()? == "installed")
                .then(|| Some((fields.next()?.to_string(), fields.next()?.to_string())))?
        })
        .collect();

    // A real wheel's metadata and a real jar, read in the image as on disk.
    let metadata = Path::new("/usr/lib/python3/dist-packages/blinker-1.5.dist-info/METADATA");
    let jar = Path::new("/usr/share/java/commons-io-2.11.0.jar");
    let language: Vec<(&str, &Path, u32)> = [
        (
            "usr/lib/python3/dist-packages/blinker-1.5.dist-info/METADATA",
            metadata,
        ),
        ("usr/share/java/commons-io-2.11.0.jar", jar),
    ]
    .into_iter()
    .filter(|(_, p)| p.is_file())
    .map(|(name, p)| (name, p, 0o644))
    .collect();
    let on_disk: Vec<String> = {
        let paths: Vec<PathBuf> = language.iter().map(|(_, p, _)| p.to_path_buf()).collect();
        scan_paths(&paths, &ScanLimits::default())
            .components
            .iter()
            .map(|c| c.purl())
            .collect()
    };
    let mut base_files = vec![
        ("var/lib/dpkg/status", status, 0o644),
        ("usr/lib/os-release", os_release, 0o644),
        ("usr/bin/docker", docker, 0o755),
    ];
    base_files.extend(language.iter().copied());
    let base = {
        let plain = layer(&base_files, &[]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&plain).unwrap();
        gz.finish().unwrap()
    };
    // The app layer adds Terraform and deletes the Docker CLI.
    let app = layer(
        &[("usr/local/bin/terraform", terraform, 0o755)],
        &["usr/bin/.wh.docker"],
    );
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("machine.oci.tar");
    oci_tarball(&image, &[base, app]);
    assert!(is_image(&image));

    let inventory = scan_paths(std::slice::from_ref(&image), &ScanLimits::default());
    assert!(inventory.warnings.is_empty(), "{:?}", inventory.warnings);
    let evidence = |c: &vigil_model::Component| -> PathBuf {
        PathBuf::from(c.evidence[0].0.split_once("!/").unwrap().1)
    };
    let debian: BTreeSet<(String, String)> = inventory
        .components
        .iter()
        .filter(|c| c.purl().starts_with("pkg:deb/debian/"))
        .inspect(|c| {
            assert_eq!(evidence(c), Path::new("var/lib/dpkg/status"));
            assert_eq!(c.package.release.as_deref(), Some("12"));
        })
        .map(|c| (c.package.name.clone(), c.package.version.clone().unwrap()))
        .collect();
    assert_eq!(debian, expected_debian);
    let go: Vec<&vigil_model::Component> = inventory
        .components
        .iter()
        .filter(|c| c.purl().starts_with("pkg:golang/"))
        .collect();
    assert!(go
        .iter()
        .all(|c| evidence(c) == Path::new("usr/local/bin/terraform")));
    // Terraform's 212 modules and its standard library; Docker's go1.24.3 stdlib is whited out.
    assert_eq!(go.len(), 213);
    assert!(go.iter().any(|c| c.purl() == "pkg:golang/stdlib@1.23.3"));
    assert!(!go.iter().any(|c| c.purl() == "pkg:golang/stdlib@1.24.3"));
    let in_image: Vec<String> = inventory
        .components
        .iter()
        .filter(|c| !c.purl().starts_with("pkg:deb/") && !c.purl().starts_with("pkg:golang/"))
        .map(|c| c.purl())
        .collect();
    assert_eq!(
        in_image, on_disk,
        "the wheel metadata and the jar, as on disk"
    );
    eprintln!("language packages in the image: {in_image:?}");
    assert_eq!(
        inventory.components.len(),
        expected_debian.len() + 213 + on_disk.len(),
        "nothing else is found"
    );
}
