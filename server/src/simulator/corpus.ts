// What citizens of Kabupaten Tegal write on the regency's accounts: questions and complaints in
// everyday Indonesian, Tegal ngapak and chat shorthand, with emoji. Used by the simulator.

export const CITIZEN_TEXTS: readonly string[] = [
  'Min, jalan di Desa Pesarean rusak parah, kapan diperbaiki? 🙏',
  'Pak, gili nang Adiwerna bolong-bolong kaya kiye, kapan dibenerin? motor wis pada jatuh',
  'Lampu PJU di Jl. Raya Banjaran mati 3 hari, gelap banget kalau malam 😡',
  'mhn info blangko ktp el di dukcapil sdh ada blm ya min?',
  'Kak, cara urus KK yang hilang gimana ya? harus ke kecamatan atau ke dinas?',
  'Sampah di pasar Slawi ga diangkut udah seminggu, bau banget min',
  'Tolong min, bangjo di perempatan Pacul mati dari kemarin, rawan tabrakan',
  'Kapan bansos PKH tahap 4 cair ya? ibu saya belum dapet',
  'numpang tanya, pendaftaran SPMB SMP negeri dibuka tgl brp?',
  'Min ada lowongan kerja di job fair Slawi ga? kartu kuning bikinnya di mana',
  'Banjir lagi di Kramat, air sudah masuk rumah warga. Mohon bantuan BPBD 🙏🙏',
  'Puskesmas Dukuhturi kok antriannya lama banget, dari jam 7 baru dipanggil jam 11',
  'BPJS PBI saya tiba2 nonaktif, gimana cara aktifin lagi min?',
  'Pak, PBB tahun ini kok naik dua kali lipat? mohon penjelasannya',
  'Izin bertanya, bikin NIB buat UMKM bisa online atau harus ke MPP?',
  'Ada PKL jualan di trotoar alun-alun Slawi, pejalan kaki susah lewat',
  'kepriben carane daftar kartu tani min? nyong durung duwe',
  'Harga pupuk subsidi di kios kok mahal, di atas HET, tolong dicek',
  'Akta kelahiran anak saya sudah 2 minggu belum jadi, statusnya gimana?',
  'Saluran got di perumahan Griya Dukuhwaru mampet, tiap hujan meluber',
  'Min, tiket masuk Guci sekarang berapa? weekend rame ga?',
  'Ada pungli di sekolah anak saya, iuran seragam 800rb wajib. Mohon ditindak',
  'Lapor, ada tanah longsor di jalan Bumijawa–Guci, akses tertutup sebagian ⚠️',
  'Air PDAM di Talang keruh dan sering mati, sudah 4 hari',
  'Terima kasih Pemkab, jalan di desa kami sudah diaspal 👍👍',
  'Mau tanya, perekaman KTP-el untuk lansia bisa di rumah tidak?',
  'Kenapa rumah saya ga masuk RTLH padahal sudah diajukan 2 tahun lalu?',
  'Jembatan di Warureja retak, tolong segera dicek sebelum roboh',
  'Min, vaksinasi anak di posyandu jadwalnya kapan ya bulan ini?',
  'Pak Bupati, tolong perhatikan guru honorer, gaji telat 3 bulan 🙏',
  'Ada balap liar tiap malam minggu di jalan lingkar Slawi, berisik & bahaya',
  'Lampu jalan depan SD Lebaksiu mati, anak2 pulang les gelap',
  'Sinyal ga ada di desa kami Jatinegara, anak sekolah susah belajar online',
  'Kapan pengambilan KIA di kecamatan Pangkah? udah daftar bulan lalu',
  'Pengaduan: truk tanah lewat jalan desa, jalan jadi hancur & berdebu',
  'Apakah surat pindah bisa diurus lewat aplikasi? nyong kerja di Jakarta',
  'Kok lampu merah di Trayeman nyala ijo semua arah? bahaya min!!',
  'Dana desa di desa kami ga jelas penggunaannya, bisa dicek?',
  'tlg min, ada pohon tumbang nutup jalan di Balapulang',
  'Jadwal pemadaman listrik Tegal hari ini ada ga min?',
]

export const CITIZEN_NAMES: readonly string[] = [
  'Siti Aminah', 'Budi Santoso', 'Dewi Lestari', 'Ahmad Fauzi', 'Sri Wahyuni', 'Joko Susilo', 'Rina Marlina',
  'Agus Setiawan', 'Nur Hidayah', 'Eko Prasetyo', 'Wulan Sari', 'Slamet Riyadi', 'Dédé Ñurhasanah', 'Tarno Tegal',
  'Kang Darto', 'Mbak Yuni 🌸', 'Fajar Nugroho', 'Indah Permatasari', 'Bambang W.', 'Ratna Dewi',
]

export const GOVERNMENT_REPLIES: readonly string[] = [
  'Terima kasih laporannya, Kak. Sudah kami teruskan ke tim teknis untuk ditinjau. 🙏',
  'Mohon maaf atas ketidaknyamanannya. Petugas kami akan ke lokasi minggu ini.',
  'Silakan datang ke kantor kecamatan dengan membawa KK asli, layanan buka 08.00–15.00 WIB.',
  'Informasi lengkap dapat dilihat di laman resmi Pemkab Tegal. Terima kasih.',
]
