// Perangkat daerah of Kabupaten Tegal (Perda 12/2016 as amended; names as used 2023–2026,
// reference: domain-id.md §1.3). Codes are stable internal keys; names change with each SOTK.

export interface OpdSeed {
  code: string
  name: string
  shortName: string
  kind: 'setda' | 'bagian' | 'setwan' | 'inspektorat' | 'dinas' | 'badan' | 'satuan' | 'rsud' | 'kecamatan'
  parent?: string
  isTriage?: boolean
  aliases?: string[]
}

const KECAMATAN = [
  'Margasari',
  'Bumijawa',
  'Bojong',
  'Balapulang',
  'Pagerbarang',
  'Lebaksiu',
  'Jatinegara',
  'Kedungbanteng',
  'Pangkah',
  'Slawi',
  'Adiwerna',
  'Talang',
  'Dukuhturi',
  'Tarub',
  'Kramat',
  'Suradadi',
  'Warureja',
  'Dukuhwaru',
]

export const TEGAL_OPDS: OpdSeed[] = [
  { code: 'setda', name: 'Sekretariat Daerah', shortName: 'Setda', kind: 'setda' },
  {
    code: 'prokompim',
    name: 'Bagian Protokol dan Komunikasi Pimpinan Setda',
    shortName: 'Prokompim',
    kind: 'bagian',
    parent: 'setda',
    isTriage: true,
    aliases: ['Lapor Bupati', 'Humas Pemkab Tegal'],
  },
  { code: 'setwan', name: 'Sekretariat DPRD', shortName: 'Setwan', kind: 'setwan' },
  { code: 'inspektorat', name: 'Inspektorat Daerah', shortName: 'Inspektorat', kind: 'inspektorat' },
  { code: 'disdikbud', name: 'Dinas Pendidikan dan Kebudayaan', shortName: 'Disdikbud', kind: 'dinas', aliases: ['Dinas Dikbud'] },
  { code: 'dinkes', name: 'Dinas Kesehatan', shortName: 'Dinkes', kind: 'dinas' },
  { code: 'dpupr', name: 'Dinas Pekerjaan Umum dan Penataan Ruang', shortName: 'DPUPR', kind: 'dinas' },
  { code: 'disperkim', name: 'Dinas Perumahan dan Kawasan Permukiman', shortName: 'Disperkim', kind: 'dinas', aliases: ['Dinas Perkim'] },
  { code: 'satpolpp', name: 'Satuan Polisi Pamong Praja dan Pemadam Kebakaran', shortName: 'Satpol PP', kind: 'satuan', aliases: ['Damkar'] },
  { code: 'dinsos', name: 'Dinas Sosial', shortName: 'Dinsos', kind: 'dinas' },
  {
    code: 'dp3ap2kb',
    name: 'Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana',
    shortName: 'DP3AP2KB',
    kind: 'dinas',
  },
  { code: 'dkpp', name: 'Dinas Ketahanan Pangan dan Pertanian', shortName: 'DKPP', kind: 'dinas' },
  { code: 'diskan', name: 'Dinas Perikanan', shortName: 'Dinas Perikanan', kind: 'dinas' },
  { code: 'dlh', name: 'Dinas Lingkungan Hidup', shortName: 'DLH', kind: 'dinas' },
  { code: 'disdukcapil', name: 'Dinas Kependudukan dan Pencatatan Sipil', shortName: 'Disdukcapil', kind: 'dinas', aliases: ['Dukcapil', 'Capil'] },
  { code: 'dispermades', name: 'Dinas Pemberdayaan Masyarakat dan Desa', shortName: 'Dispermades', kind: 'dinas' },
  { code: 'dishub', name: 'Dinas Perhubungan', shortName: 'Dishub', kind: 'dinas' },
  { code: 'diskominfo', name: 'Dinas Komunikasi dan Informatika', shortName: 'Diskominfo', kind: 'dinas', aliases: ['PPID Utama'] },
  { code: 'dinkopukmdag', name: 'Dinas Koperasi, Usaha Kecil dan Menengah, dan Perdagangan', shortName: 'Dinkop UKM Perdagangan', kind: 'dinas' },
  { code: 'dpmptsp', name: 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu', shortName: 'DPMPTSP', kind: 'dinas', aliases: ['MPP Satya Dahayu'] },
  { code: 'disporapar', name: 'Dinas Kepemudaan, Olahraga dan Pariwisata', shortName: 'Disporapar', kind: 'dinas' },
  { code: 'disperintransnaker', name: 'Dinas Perindustrian, Transmigrasi dan Tenaga Kerja', shortName: 'Disperintransnaker', kind: 'dinas' },
  { code: 'disarpus', name: 'Dinas Perpustakaan dan Kearsipan', shortName: 'Disarpus', kind: 'dinas' },
  { code: 'bappeda', name: 'Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah', shortName: 'Bappeda dan Litbang', kind: 'badan' },
  { code: 'bapenda', name: 'Badan Pendapatan Daerah', shortName: 'Bapenda', kind: 'badan' },
  { code: 'bpkad', name: 'Badan Pengelolaan Keuangan dan Aset Daerah', shortName: 'BPKAD', kind: 'badan' },
  { code: 'bkpsdm', name: 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia', shortName: 'BKPSDM', kind: 'badan' },
  { code: 'bpbd', name: 'Badan Penanggulangan Bencana Daerah', shortName: 'BPBD', kind: 'badan' },
  { code: 'kesbangpol', name: 'Badan Kesatuan Bangsa dan Politik', shortName: 'Kesbangpol', kind: 'badan' },
  { code: 'rsud-soeselo', name: 'RSUD dr. Soeselo Slawi', shortName: 'RSUD Soeselo', kind: 'rsud', parent: 'dinkes' },
  { code: 'rsud-suradadi', name: 'RSUD Suradadi', shortName: 'RSUD Suradadi', kind: 'rsud', parent: 'dinkes' },
  ...KECAMATAN.map(
    (k): OpdSeed => ({
      code: `kec-${k.toLowerCase()}`,
      name: `Kecamatan ${k}`,
      shortName: `Kec. ${k}`,
      kind: 'kecamatan',
    }),
  ),
]
