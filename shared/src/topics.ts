// Topics a citizen can pick on the website form, each with the OPD (by code) that answers it
// in Kabupaten Tegal (reference: domain-id.md §4.2). Labels are Bahasa Indonesia first.

export interface Topic {
  code: string
  label: { id: string; en: string }
  opdCode: string
}

export const TOPICS: readonly Topic[] = [
  { code: 'adminduk', label: { id: 'KTP, KK, akta, dan kependudukan', en: 'ID cards, family cards, certificates' }, opdCode: 'disdukcapil' },
  { code: 'jalan', label: { id: 'Jalan, jembatan, dan drainase', en: 'Roads, bridges and drainage' }, opdCode: 'dpupr' },
  { code: 'pju', label: { id: 'Lampu jalan, lampu lalu lintas, parkir', en: 'Street lights, traffic lights, parking' }, opdCode: 'dishub' },
  { code: 'sampah', label: { id: 'Sampah dan lingkungan', en: 'Waste and environment' }, opdCode: 'dlh' },
  { code: 'bencana', label: { id: 'Banjir, longsor, dan bencana', en: 'Floods, landslides and disasters' }, opdCode: 'bpbd' },
  { code: 'kesehatan', label: { id: 'Kesehatan, puskesmas, BPJS PBI', en: 'Health, clinics, subsidised insurance' }, opdCode: 'dinkes' },
  { code: 'pendidikan', label: { id: 'Sekolah dan SPMB/PPDB', en: 'Schools and admissions' }, opdCode: 'disdikbud' },
  { code: 'bansos', label: { id: 'Bantuan sosial (PKH, BPNT, BLT)', en: 'Social aid' }, opdCode: 'dinsos' },
  { code: 'pajak', label: { id: 'PBB dan pajak daerah', en: 'Property and local taxes' }, opdCode: 'bapenda' },
  { code: 'perizinan', label: { id: 'Perizinan dan investasi', en: 'Permits and investment' }, opdCode: 'dpmptsp' },
  { code: 'ketertiban', label: { id: 'Ketertiban umum dan kebakaran', en: 'Public order and fire' }, opdCode: 'satpolpp' },
  { code: 'lowongan', label: { id: 'Lowongan kerja dan pelatihan', en: 'Jobs and training' }, opdCode: 'disperintransnaker' },
  { code: 'informasi', label: { id: 'Permintaan informasi publik', en: 'Public information requests' }, opdCode: 'diskominfo' },
]

export const topicByCode = (code: string): Topic | undefined => TOPICS.find((t) => t.code === code)
