// The website-question load of the ingest benchmark (the foundation issue's baseline load): realistic
// questions posted to POST /api/public/questions by autocannon. Used by bench/ingest.bench.ts and, for
// the bare baseline, by bench/meta.bench.ts.
import autocannon, { type Result } from 'autocannon'
import { randomUUID } from 'node:crypto'

export const QUESTIONS_PATH = '/api/public/questions'

// Questions as citizens of Kabupaten Tegal type them into the website form.
export interface Question {
  name: string
  contact?: string
  text: string
  topic?: string
}

export const QUESTIONS: Question[] = [
  { name: 'Slamet Riyadi', text: 'Min, jalan di Desa Pesarean rusak parah, kapan diperbaiki? 🙏', topic: 'jalan' },
  {
    name: 'Siti Khotimah',
    contact: '081234567890',
    text: 'Permisi, KTP elektronik saya hilang. Syarat cetak ulang di Disdukcapil apa saja ya? Apakah perlu surat kehilangan dari polsek?',
    topic: 'adminduk',
  },
  { name: 'Bambang', text: 'Lampu PJU di perempatan Procot mati sudah seminggu, malam gelap sekali dan rawan kecelakaan.', topic: 'pju' },
  {
    name: 'Dewi Lestari',
    contact: 'dewi.lestari@gmail.com',
    text: 'Sampah di TPS Pasar Slawi menumpuk sampai ke jalan, baunya menyengat. Mohon segera diangkut 😷',
    topic: 'sampah',
  },
  { name: 'Warga Kalisoka', text: 'Sungai di Desa Kalisoka meluap lagi, air masuk rumah warga setinggi lutut. Mohon bantuan BPBD!', topic: 'bencana' },
  { name: 'Ahmad Fauzi', text: 'Bagaimana cara daftar BPJS PBI untuk ibu saya yang sudah lansia? Di puskesmas disuruh ke dinsos.', topic: 'kesehatan' },
  {
    name: 'Nur Aini',
    contact: '085712345678',
    text: 'Jadwal SPMB SMP negeri tahun ini kapan dibuka? Zonasi untuk Kecamatan Adiwerna masuk sekolah mana saja?',
    topic: 'pendidikan',
  },
  { name: 'Pak Darmo', text: 'Saya sudah terdaftar PKH tapi bantuan tiga bulan terakhir belum cair. Harus lapor ke mana?', topic: 'bansos' },
  { name: 'Rina', text: 'Min, bayar PBB 2026 bisa lewat QRIS atau harus ke bank Jateng? Tagihan saya belum datang.', topic: 'pajak' },
  {
    name: 'CV Maju Jaya',
    contact: 'majujaya.tegal@yahoo.co.id',
    text: 'Mau tanya proses izin PBG untuk gudang di Dukuhwaru, berapa lama dan apa saja dokumennya?',
    topic: 'perizinan',
  },
  { name: 'Joko', text: 'Ada PKL yang berjualan di trotoar depan alun-alun Slawi sampai menutup jalan. Mohon ditertibkan.', topic: 'ketertiban' },
  { name: 'Fitri Handayani', text: 'Apakah ada pelatihan menjahit gratis dari Disnaker tahun ini? Saya ingin ikut, lulusan SMK.', topic: 'lowongan' },
  { name: 'Mas Tegar', text: 'Kenapa di Desa Lebaksiu Kidul sinyal internet susah? Apakah ada program internet desa dari Diskominfo?', topic: 'informasi' },
  {
    name: 'Ibu Sumarni',
    contact: '087812345678',
    text: 'Anak saya lahir bulan lalu, akta kelahiran bisa diurus online? Mohon dibantu langkah-langkahnya 🙏🙏',
  },
  { name: 'Hendra', text: 'Jembatan penghubung Desa Karangmangu dan Desa Jatinegara sudah retak, takut ambrol kalau dilewati truk.', topic: 'jalan' },
  { name: 'Yuli', text: 'Tolong min, lampu lalu lintas di simpang Banjaran kedip kuning terus dari pagi, jadi macet panjang.', topic: 'pju' },
  { name: 'Karang Taruna Bojong', text: 'Kami ingin mengajukan bantuan bibit pohon untuk penghijauan di lereng Bojong. Prosedurnya bagaimana?' },
  { name: 'Agus Salim', text: 'Puskesmas Dukuhturi tutup jam berapa kalau hari Sabtu? Anak saya demam tinggi sejak semalam.', topic: 'kesehatan' },
  {
    name: 'Wulan',
    contact: '082198765432',
    text: 'KK saya masih pakai alamat lama padahal sudah pindah ke Kecamatan Talang. Bagaimana cara ubah alamatnya? Terima kasih.',
    topic: 'adminduk',
  },
  { name: 'Pak RT 03', text: 'Drainase di Perumahan Griya Slawi tersumbat, setiap hujan jalan tergenang. Mohon dinas terkait cek lokasi.', topic: 'jalan' },
  { name: 'Anonim', text: 'Info lowongan kerja di kawasan industri Tegal ada di mana ya min? Terima kasih sebelumnya 😊', topic: 'lowongan' },
]
const BODIES = QUESTIONS.map((q) => JSON.stringify(q))
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!

/** Citizens reach the app through a reverse proxy from many addresses (per-address rate limit). */
const randomClientIp = () => `10.${Math.floor(Math.random() * 4)}.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`

export async function questionLoad(port: number, seconds: number, connections: number): Promise<Result> {
  return await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: QUESTIONS_PATH,
        // Every request: another question, a fresh Idempotency-Key (the web form sends one), another client.
        setupRequest: (req) => ({
          ...req,
          headers: {
            ...req.headers,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
            'x-forwarded-for': randomClientIp(),
          },
          body: pick(BODIES),
        }),
      },
    ],
  })
}
