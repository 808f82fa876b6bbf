import { useCallback, useEffect, useState } from 'react'

/**
 * Data fetched once on mount, the error of the last attempt and reload() to fetch it again; `load`
 * must keep its identity (a module-level function).
 */
export function useLoaded<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<unknown>(null)
  const reload = useCallback(async () => {
    try {
      setData(await load())
      setError(null)
    } catch (err) {
      setError(err)
    }
  }, [load])
  useEffect(() => {
    void reload()
  }, [reload])
  return { data, setData, error, reload }
}
