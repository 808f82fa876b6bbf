/** An error message in the alert style, announced to screen readers; nothing when there is none. */
export function ErrorAlert({ message, testId }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null
  return (
    <p className="alert alert-error" role="alert" data-testid={testId}>
      {message}
    </p>
  )
}
