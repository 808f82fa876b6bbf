// A TikTok comment thread is a top-level comment on a video. Replying needs both ids
// (comment/reply/create takes video_id and comment_id), and the sender only sees the thread id,
// so the thread id carries both: "<video_id>:<top-level comment_id>". DM threads are the
// conversation id as TikTok gives it.

export const commentThreadId = (videoId: string, rootCommentId: string): string => `${videoId}:${rootCommentId}`

export function parseCommentThreadId(threadId: string): { videoId: string; commentId: string } | undefined {
  const at = threadId.indexOf(':')
  if (at <= 0 || at === threadId.length - 1) return undefined
  return { videoId: threadId.slice(0, at), commentId: threadId.slice(at + 1) }
}
